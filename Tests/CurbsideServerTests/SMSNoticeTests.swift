import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// Notices reaching phones through each SMS provider's simulator over real
/// HTTP: sent by the template their text file names, delivery reports pushed
/// back and recorded, and every way it goes wrong.
@Suite("Notices by SMS", .ownThread)
struct SMSNoticeTests {
    enum Provider: String, CaseIterable, Sendable {
        case aliyun, tencent

        /// Providers check request times against their own clocks, which are real ones.
        func simulator() async throws -> any SMSProviderSimulator {
            switch self {
            case .aliyun: try await AliyunSMSSimulator()
            case .tencent: try await TencentSMSSimulator()
            }
        }

        /// A text's template id at this provider, from the shipped text files.
        func template(_ kind: NoticeKind, _ language: String = "zh") throws -> String {
            let file = try String(contentsOfFile: "\(RepositoryPaths.tariffs)/notices/\(language)/\(kind.rawValue).txt", encoding: .utf8)
            return try #require(try NoticeText(kind: kind, file: file).templates[rawValue])
        }

        /// A parameter's value as the provider took it: by name, or by position in the text.
        func parameter(_ name: String, of message: SentSMS, _ kind: NoticeKind, _ language: String = "zh") throws -> String? {
            guard self == .tencent else { return message.parameters[name] }
            let file = try String(contentsOfFile: "\(RepositoryPaths.tariffs)/notices/\(language)/\(kind.rawValue).txt", encoding: .utf8)
            let position = try #require(try NoticeText(kind: kind, file: file).order.firstIndex(of: name))
            return message.parameters["\(position + 1)"]
        }
    }

    static let cases = StoreKind.testCases.flatMap { kind in Provider.allCases.map { (kind, $0) } }
    static let phone = "13800138000"

    /// An app sending notices through `provider`'s simulator, whose reports are pushed to the app; 18:00 in China.
    static func withSMS(
        _ kind: StoreKind, _ provider: Provider, texts: String? = nil, _ body: (TestApp, any SMSProviderSimulator) async throws -> Void
    ) async throws {
        let clock = TestClock(try Date(rfc3339: "2026-11-20T10:00:00Z"))
        let simulator = try await provider.simulator()
        do {
            try await withTestApp(kind, clock: clock, configure: { configuration in
                configuration.backgroundJobs = false
                configuration.notices = provider == .aliyun ? .aliyun : .tencent
                configuration.sms.keyID = simulator.keyID
                configuration.sms.secret = simulator.secret
                configuration.sms.appID = "1400006666"
                configuration.sms.url = simulator.endpoint
                configuration.pacing = NoticePacing(quietHours: QuietHours(start: 21, end: 8))
                configuration.files.noticeTexts = texts
            }) { app in
                simulator.reportURL = app.baseURL + "/v1/channels/sms/\(provider.rawValue)/reports"
                try await body(app, simulator)
            }
        } catch {
            try await simulator.stop()
            throw error
        }
        try await simulator.stop()
    }

    /// A citizen signed in by the code the provider carried, with 粤J5K321 bound by the first bill's notice; the bill's number.
    static func citizen(_ app: TestApp, _ provider: Provider, _ sms: any SMSProviderSimulator) async throws -> (Client, String) {
        let anyone = try await app.client()
        _ = try await anyone.requestSignInCode(body: .json(.init(phone: phone))).accepted
        let message = try #require(sms.sent.last)
        let template = try provider.template(.signInCode)
        #expect(message.phone == phone && message.template == template && message.signName == "路侧停车")
        let code = try #require(try provider.parameter("code", of: message, .signInCode))
        let citizen = try await app.client(token: try await anyone.signIn(body: .json(.init(phone: phone, code: code))).ok.body.json.token)
        let first = try #require(try await PaymentRulesTests.billed(app)["粤J5K321"]?.number)
        _ = try await citizen.bindPlate(body: .json(.init(plate: "粤J5K321", colour: .blue, noticeToken: try await app.noticeToken(first)))).created
        return (citizen, first)
    }

    /// One more stay of 粤J5K321 in bay 10010027, billed; its bill's number.
    static func stay(_ app: TestApp, _ id: String, from: String, to: String) async throws -> String {
        let events = StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: from, to: to, id: id)
        #expect(try await app.ingest(events).status == 200)
        try await app.fuse()
        app.clock.advance(by: 11 * 60)
        #expect(try await app.bill().issued == 1)
        let query = Operations.ListBills.Input.Query(from: try Date(rfc3339: "2026-11-19T00:00:00Z"), until: try Date(rfc3339: "2026-11-23T00:00:00Z"))
        let bills = try await app.client(as: .finance).listBills(query: query).ok.body.json.items
        return try #require(bills.filter { $0.plate == "粤J5K321" }.max { $0.issuedAt < $1.issuedAt }?.number)
    }

    @Test("A bill's notice goes by its template to the bound phone; the delivery report, pushed over HTTP, marks it delivered", arguments: cases)
    func delivered(kind: StoreKind, provider: Provider) async throws {
        try await Self.withSMS(kind, provider) { app, sms in
            let (_, first) = try await Self.citizen(app, provider, sms)
            // The first bill's notice went to the plate (no one had bound it): through the log, not SMS.
            #expect(try await app.dispatchNotices() == 2)
            let plateNotice = try #require(try await app.billDetail(first).value2.notices.first { $0.recipient.hasPrefix("plate:粤J5K321") })
            #expect(plateNotice.channel == "log" && plateNotice.delivery == .sent && plateNotice.text.hasPrefix("【路侧停车】粤J5K321 于 2026-11-20 08:00"))

            let number = try await Self.stay(app, "sms-S2", from: "2026-11-20T11:00:00+08:00", to: "2026-11-20T12:00:00+08:00")
            let texts = sms.sent.count
            #expect(try await app.dispatchNotices() == 1)
            let message = try #require(sms.sent.last)
            let billTemplate = try provider.template(.billIssued)
            #expect(sms.sent.count == texts + 1 && message.phone == Self.phone && message.template == billTemplate)
            #expect(try provider.parameter("bill", of: message, .billIssued) == number)
            #expect(try provider.parameter("plate", of: message, .billIssued) == "粤J5K321")
            let link = try #require(try provider.parameter("link", of: message, .billIssued))
            #expect(link == (try await app.billDetail(number).value2.payLink))
            var notice = try #require(try await app.billDetail(number).value2.notices.first)
            #expect(notice.recipient == "sms:\(Self.phone)" && notice.kind == .billIssued && notice.channel == provider.rawValue && notice.delivery == .sent)
            #expect(notice.text.contains(number) && notice.text.hasPrefix("【路侧停车】粤J5K321 于 2026-11-20 11:00 至 2026-11-20 12:00"))
            #expect(message.reference == "notice-\(notice.id)")

            // The provider pushes its report: answered as it expects, recorded on the notice.
            let answer = try #require(try await sms.pushReports())
            #expect(answer.status == 200 && answer.body.contains(provider == .aliyun ? #""code":0"# : #""result":0"#))
            notice = try #require(try await app.billDetail(number).value2.notices.first)
            #expect(notice.delivery == .delivered && notice.deliveryCode == (provider == .aliyun ? "DELIVERED" : "DELIVRD") && notice.reportedAt != nil)

            // A report naming a message that is not ours, or ours under another phone, changes nothing; the other
            // provider's endpoint is not open on this server.
            let other = provider == .aliyun ? "tencent" : "aliyun"
            #expect(try await app.request(.POST, "/v1/channels/sms/\(other)/reports", json: [[String: any Sendable]]()).status == 404)
            let forged: [String: any Sendable] = provider == .aliyun
                ? ["biz_id": "1^0", "success": false, "out_id": "notice-\(notice.id)", "phone_number": Self.phone]
                : ["sid": "2645:1", "report_status": "FAIL", "mobile": Self.phone]
            let theirs = try #require(sms.sent.last?.providerID)
            let stranger: [String: any Sendable] = provider == .aliyun
                ? ["biz_id": theirs, "success": false, "out_id": "notice-999", "phone_number": "13900139000"]
                : ["sid": theirs, "report_status": "FAIL", "mobile": "13900139000"]
            #expect(try await app.request(.POST, "/v1/channels/sms/\(provider.rawValue)/reports", json: [forged, stranger]).status == 200)
            #expect(try await app.billDetail(number).value2.notices.first?.delivery == .delivered)
        }
    }

    @Test("Rate-limited and down: the notice waits and goes later; a report saying it failed is recorded; opted out, nothing goes", arguments: cases)
    func failures(kind: StoreKind, provider: Provider) async throws {
        try await Self.withSMS(kind, provider) { app, sms in
            let (citizen, _) = try await Self.citizen(app, provider, sms)
            _ = try await app.dispatchNotices()

            // Flow control: not sent, tried again after the back-off.
            let limited = try await Self.stay(app, "sms-L", from: "2026-11-20T11:00:00+08:00", to: "2026-11-20T12:00:00+08:00")
            sms.limits = true
            let before = sms.sent.count
            #expect(try await app.dispatchNotices() == 0)
            var notice = try #require(try await app.billDetail(limited).value2.notices.first)
            #expect(notice.sentAt == nil && notice.attempts == 1 && notice.delivery == nil)
            #expect(notice.lastError?.contains(provider == .aliyun ? "isv.BUSINESS_LIMIT_CONTROL" : "LimitExceeded") == true)
            sms.limits = false
            #expect(try await app.dispatchNotices() == 0, "the back-off has not passed")
            app.clock.advance(by: 31)
            #expect(try await app.dispatchNotices() == 1)
            #expect(sms.sent.count == before + 1)

            // The provider down: the same.
            let down = try await Self.stay(app, "sms-D", from: "2026-11-20T12:30:00+08:00", to: "2026-11-20T13:30:00+08:00")
            sms.unavailable = true
            #expect(try await app.dispatchNotices() == 0)
            notice = try #require(try await app.billDetail(down).value2.notices.first)
            #expect(notice.sentAt == nil && notice.attempts == 1 && notice.lastError != nil)
            sms.unavailable = false
            app.clock.advance(by: 31)
            #expect(try await app.dispatchNotices() == 1)

            // The phone does not receive it: the report says so and the notice records it.
            sms.undeliverable = [Self.phone]
            #expect(try await sms.pushReports()?.status == 200)
            for number in [limited, down] {
                notice = try #require(try await app.billDetail(number).value2.notices.first)
                #expect(notice.delivery == .undelivered && notice.deliveryCode == "MK:0001")
            }

            // In English once chosen; turned off, a queued notice is passed over and the next goes to the plate.
            #expect(try await citizen.setMyPreferences(body: .json(.init(language: .en, smsNotices: true))).ok.body.json.language == .en)
            let english = try await Self.stay(app, "sms-E", from: "2026-11-20T14:00:00+08:00", to: "2026-11-20T15:00:00+08:00")
            #expect(try await app.dispatchNotices() == 1)
            let englishTemplate = try provider.template(.billIssued, "en")
            #expect(sms.sent.last?.template == englishTemplate)
            #expect(try await app.billDetail(english).value2.notices.first?.text.contains("parked at bay 10010027") == true)

            let queued = try await Self.stay(app, "sms-Q", from: "2026-11-20T15:20:00+08:00", to: "2026-11-20T16:20:00+08:00")
            let off = try await citizen.setMyPreferences(body: .json(.init(smsNotices: false))).ok.body.json
            #expect(!off.smsNotices && off.optedOutAt != nil && off.language == nil)
            let sentBefore = sms.sent.count
            #expect(try await app.dispatchNotices() == 0)
            notice = try #require(try await app.billDetail(queued).value2.notices.first)
            #expect(notice.delivery == .optedOut && notice.sentAt != nil && notice.channel == nil)
            let later = try await Self.stay(app, "sms-R", from: "2026-11-20T16:40:00+08:00", to: "2026-11-20T17:40:00+08:00")
            #expect(try await app.dispatchNotices() == 1)
            #expect(sms.sent.count == sentBefore)
            #expect(try await app.billDetail(later).value2.notices.map(\.recipient) == ["plate:粤J5K321/blue"])
            // Sign-in codes still come: the citizen asked for them.
            app.clock.advance(by: 61)
            _ = try await app.client().requestSignInCode(body: .json(.init(phone: Self.phone))).accepted
            #expect(sms.sent.count == sentBefore + 1)
        }
    }

    @Test("A sign-in code the provider cannot take now is 502 sms_unavailable; a text with no template for the provider is refused for good", arguments: StoreKind.testCases)
    func refusals(kind: StoreKind) async throws {
        let texts = NSTemporaryDirectory() + "curbside-texts-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: RepositoryPaths.tariffs + "/notices", toPath: texts)
        // An operator edits the bill's text: no Tencent template yet.
        let edited = "aliyun: SMS_1\n---\n${plate} 停车费 ${amount} 元：${link}\n"
        try Data(edited.utf8).write(to: URL(fileURLWithPath: texts + "/zh/bill_issued.txt"))
        try await Self.withSMS(kind, .tencent, texts: texts) { app, sms in
            sms.limits = true
            let refused = try await app.client().requestSignInCode(body: .json(.init(phone: "13900139000")))
            #expect(try refused.badGateway.body.json.code == "sms_unavailable")
            sms.limits = false
            app.clock.advance(by: 61)
            let (_, _) = try await Self.citizen(app, .tencent, sms)
            _ = try await app.dispatchNotices()
            let number = try await Self.stay(app, "sms-T", from: "2026-11-20T11:00:00+08:00", to: "2026-11-20T12:00:00+08:00")
            #expect(try await app.dispatchNotices() == 0)
            let notice = try #require(try await app.billDetail(number).value2.notices.first)
            #expect(notice.delivery == .refused && notice.deliveryCode == "no_template" && notice.sentAt != nil && notice.channel == "tencent")
            app.clock.advance(by: 3600)
            #expect(try await app.dispatchNotices() == 0, "a refusal for good is not tried again")
        }
    }
}
