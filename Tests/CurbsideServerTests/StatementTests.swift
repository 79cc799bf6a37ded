import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// The channels' daily statements, downloaded from the loopback simulators
/// over real HTTP (WeChat Pay's trade bill checked by its SHA1, Alipay's zip
/// of GBK files) and reconciled by the statement job by itself.
@Suite("Daily statements downloaded and reconciled", .ownThread)
struct StatementTests {
    /// 11:00 in China on the day after the bills were paid (the test clock starts at 20:00 on 2026-11-20).
    static let nextMorning: TimeInterval = 15 * 3600

    @Test("Yesterday's statements are downloaded from both channels and reconciled once, by one of two instances; a payment whose notification was lost is a difference finance sees", arguments: StoreKind.testCases)
    func reconciledByItself(kind: StoreKind) async throws {
        try await ChannelOrderTests.withChannels(kind) { app, wechat, alipay in
            let bills = try await PaymentRulesTests.billed(app)
            let first = try #require(bills["粤J5K321"]), second = try #require(bills["粤J33333"])
            let client = try await app.client()
            let byAlipay = try await client.createPayment(body: .json(.init(channel: .alipay, bills: [first.number], scene: .qr))).created.body.json
            try await alipay.pay(byAlipay.id)
            wechat.losesNotifications = true
            let byWeChat = try await client.createPayment(body: .json(.init(channel: .wechat, bills: [second.number], scene: .qr))).created.body.json
            let transaction = try await wechat.pay(byWeChat.id)

            // It is 20:11 on the 20th in China: the 20th is not over, but the 19th is, with nothing paid through either channel.
            #expect(try await app.statements() == .init(reconciled: 2, differences: 0, postponed: 0))
            #expect(try await app.statements() == .init())
            app.clock.advance(by: Self.nextMorning)
            let twin: ((TestApp) async throws -> Void) async throws -> Void = kind == .postgres ? { try await app.twin($0) } : { try await $0(app) }
            try await twin { other in
                async let mine = app.statements()
                async let theirs = other.statements()
                let (a, b) = try await (mine, theirs)
                #expect(a.reconciled + b.reconciled == 2 && a.differences + b.differences == 1 && a.postponed + b.postponed == 0, "\(a) \(b)")
            }
            #expect(try await app.statements() == .init())

            let finance = try await app.client(as: .finance)
            let quiet = try await finance.listReconciliations(query: .init(day: "2026-11-19")).ok.body.json.items
            #expect(quiet.count == 2 && quiet.allSatisfy { $0.matched == 0 && $0.differences.isEmpty && $0.theirTotalFen == 0 })
            let all = try await finance.listReconciliations(query: .init(day: "2026-11-20")).ok.body.json.items
            #expect(all.count == 2)
            #expect(all.allSatisfy { $0.actor == "admin:curbside" }, "\(all.map(\.actor))")
            #expect(all.allSatisfy { $0.reconciledAt == app.clock.now }, "\(all.map(\.reconciledAt)) \(app.clock.now)")
            let byChannel = Dictionary(uniqueKeysWithValues: all.map { ($0.channel, $0) })
            let alipayResult = try #require(byChannel[.alipay])
            #expect(alipayResult.matched == 1 && alipayResult.ourTotalFen == first.fen && alipayResult.theirTotalFen == first.fen && alipayResult.differences.isEmpty)
            let wechatResult = try #require(byChannel[.wechat])
            #expect(wechatResult.matched == 0 && wechatResult.ourTotalFen == 0 && wechatResult.theirTotalFen == second.fen)
            #expect(wechatResult.differences == [.init(kind: .missingOnOurSide, paymentId: byWeChat.id, transactionId: transaction, theirAmountFen: second.fen)])
            let work = try await finance.listReconciliations(query: .init(differing: true)).ok.body.json.items
            #expect(work.map(\.id) == [wechatResult.id])
            #expect(try await finance.listReconciliations(query: .init(channel: .alipay, day: "2026-11-20")).ok.body.json.items.map(\.id) == [alipayResult.id])
            let runs = try await finance.listStatementRuns(query: .init(day: "2026-11-20")).ok.body.json.items
            #expect(Set(runs.map { "\($0.channel.rawValue) \($0.status.rawValue) \($0.attempts) \($0.reconciliationId ?? 0)" })
                == ["alipay done 1 \(alipayResult.id)", "wechat done 1 \(wechatResult.id)"])
            // Patrol staff see none of it.
            _ = try await app.client(as: .patrol).listReconciliations().forbidden
        }
    }

    @Test("A statement the channel has not made yet is tried again on the schedule and reconciled when it comes; one that never comes is handed to finance", arguments: StoreKind.testCases)
    func retriedThenFailed(kind: StoreKind) async throws {
        try await ChannelOrderTests.withChannels(kind) { app, wechat, alipay in
            let first = try #require(try await PaymentRulesTests.billed(app)["粤J5K321"])
            let client = try await app.client()
            let byWeChat = try await client.createPayment(body: .json(.init(channel: .wechat, bills: [first.number], scene: .qr))).created.body.json
            try await wechat.pay(byWeChat.id)
            wechat.holdsStatements = true
            alipay.holdsStatements = true
            app.clock.advance(by: Self.nextMorning)
            #expect(try await app.statements() == .init(reconciled: 0, differences: 0, postponed: 2))
            let finance = try await app.client(as: .finance)
            let pending = try await finance.listStatementRuns(query: .init(status: .pending)).ok.body.json.items
            #expect(pending.count == 2 && pending.allSatisfy { $0.attempts == 1 })
            #expect(pending.first { $0.channel == .wechat }?.failure?.contains("STATEMENT_CREATING") == true)
            // Not due again for 15 minutes.
            app.clock.advance(by: 14 * 60)
            #expect(try await app.statements() == .init())
            app.clock.advance(by: 60)
            #expect(try await app.statements().postponed == 2)
            wechat.holdsStatements = false
            app.clock.advance(by: 30 * 60)
            #expect(try await app.statements() == .init(reconciled: 1, differences: 0, postponed: 1))
            let reconciled = try await finance.listReconciliations(query: .init(channel: .wechat)).ok.body.json.items
            #expect(reconciled.count == 1 && reconciled.first?.matched == 1 && reconciled.first?.theirTotalFen == first.fen)

            // Alipay's never comes: after its last try, the day is finance's, in the audit log.
            for _ in 0..<6 {
                app.clock.advance(by: 8 * 3600)
                _ = try await app.statements()
            }
            let runs = try await finance.listStatementRuns(query: .init(day: "2026-11-20")).ok.body.json.items
            let failed = try #require(runs.first { $0.channel == .alipay })
            #expect(failed.status == .failed && failed.attempts == 7 && failed.failure?.contains("isp.unknow-error") == true)
            let audit = try await app.client(as: .auditor).listAuditLog(query: .init(subject: "alipay/2026-11-20")).ok.body.json.items
            #expect(audit.map(\.action) == ["statement_failed"])
        }
    }
}

extension StatementReconciler.Round {
    init(reconciled: Int, differences: Int, postponed: Int) {
        self.init()
        self.reconciled = reconciled
        self.differences = differences
        self.postponed = postponed
    }
}
