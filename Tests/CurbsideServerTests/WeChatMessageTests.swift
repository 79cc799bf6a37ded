import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// WeChat subscription messages over real HTTP to WeChat's open API
/// simulator: sent only against the citizen's agreement, one message each,
/// and otherwise (or when WeChat says the agreement is gone) by the other
/// channel.
@Suite("WeChat subscription messages", .ownThread)
struct WeChatMessageTests {
    @Test("A notice goes to WeChat against an agreement, once; without one, or refused by WeChat, it goes by the other channel", arguments: StoreKind.testCases)
    func subscribed(kind: StoreKind) async throws {
        try await AutoPayTests.withWeChat(kind) { app, _, open in
            let (a, _, _) = try await AutoPayTests.citizens(app)
            _ = try await app.dispatchNotices()
            let file = try String(contentsOfFile: "\(RepositoryPaths.tariffs)/notices/zh/bill_issued.txt", encoding: .utf8)
            let template = try #require(try NoticeText(kind: .billIssued, file: file).wechat?.template)
            #expect(try await a.agreeToWeChatMessages(body: .json(.init(accepted: [template])))
                .conflict.body.json.code == "wechat_not_linked")
            let openID = "oUpF8uMuAJOM2pxb1Q"
            _ = try await a.linkMyWeChat(body: .json(.init(code: open.login(openID: openID)))).noContent
            // The citizen agrees in the mini-program; WeChat and Curbside both count it. An id not ours is passed over.
            open.agree(openID: openID, template: template)
            let agreed = try await a.agreeToWeChatMessages(body: .json(.init(accepted: [template, "not-one-of-ours"]))).ok.body.json.items
            #expect(agreed.map(\.templateId) == [template] && agreed.first?.messages == 1)

            // A token WeChat stopped taking is fetched again; the message goes, filled by key.
            open.expireTokens()
            let first = try #require(try await AutoPayTests.park(app, "粤J5K321", id: "M1", from: "2026-11-20T12:00:00+08:00", to: "2026-11-20T13:00:00+08:00"))
            #expect(try await app.dispatchNotices() == 1)
            let message = try #require(open.delivered.last)
            #expect(message.openID == openID && message.template == template && message.data["car_number1"] == "粤J5K321")
            #expect(message.data["character_string3"] == first && message.data["amount2"] != nil && message.page.hasSuffix(first))
            let sent = try #require(try await app.billDetail(first).value2.notices.first)
            #expect(sent.channel == "wechat" && sent.delivery == .sent)

            // The agreement is spent: the next notice goes by the other channel.
            let second = try #require(try await AutoPayTests.park(app, "粤J5K321", id: "M2", from: "2026-11-20T13:30:00+08:00", to: "2026-11-20T14:30:00+08:00"))
            #expect(try await app.dispatchNotices() == 1)
            #expect(try await app.billDetail(second).value2.notices.first?.channel == "directory" && open.delivered.count == 1)

            // Curbside counts an agreement WeChat does not have (43101): the notice goes by the other channel, and none is counted.
            // One request counts a template once, however often it names it.
            #expect(try await a.agreeToWeChatMessages(body: .json(.init(accepted: [template, template]))).ok.body.json.items.first?.messages == 1)
            let third = try #require(try await AutoPayTests.park(app, "粤J5K321", id: "M3", from: "2026-11-20T15:00:00+08:00", to: "2026-11-20T16:00:00+08:00"))
            #expect(try await app.dispatchNotices() == 1)
            #expect(try await app.billDetail(third).value2.notices.first?.channel == "directory" && open.delivered.count == 1)
            let left = try await a.agreeToWeChatMessages(body: .json(.init(accepted: []))).ok.body.json.items
            #expect(left.first?.messages == 0)
        }
    }
}
