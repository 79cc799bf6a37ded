import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import Foundation
import SQLKit
import Testing

/// The rules around payments: a notification settles once however often and
/// however concurrently it comes; wallets, cash and unconfigured channels;
/// notices retried until delivered; a voided session's bill given back.
@Suite("Payment rules")
struct PaymentRulesTests {
    static let channels = PaymentChannelSimulator.shared

    /// Two stays, billed: returns their bills (number and amount due) by plate.
    static func billed(_ app: TestApp) async throws -> [String: (number: String, fen: Int)] {
        func at(_ time: String) -> String { "2026-11-20T\(time):00+08:00" }
        let events = StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: at("08:00"), to: at("10:00"), id: "A")
            + StayEvents.stay(bay: "10010043", sensor: "GM-1001-004", plate: "粤J33333", from: at("09:00"), to: at("11:00"), id: "D")
        #expect(try await app.ingest(events).status == 200)
        try await app.fuse()
        app.clock.advance(by: 11 * 60)
        #expect(try await app.bill().issued == 2)
        let page = try await app.get("/v1/admin/bills?from=2026-11-19T00:00:00Z&until=2026-11-22T00:00:00Z", as: .finance)
        return Dictionary(uniqueKeysWithValues: (page.json["items"] as! [[String: Any]]).map {
            ($0["plate"] as! String, ($0["number"] as! String, $0["amount_due_fen"] as! Int))
        })
    }

    static func configure(notices: String = "/dev/null/unused") -> @Sendable (inout CurbsideConfiguration) -> Void {
        { configuration in
            configuration.backgroundJobs = false
            configuration.channels = channels.settings
            configuration.notices = .directory(notices)
        }
    }

    static func ledgerKinds(_ app: TestApp, _ number: String) async throws -> [String] {
        (try await app.get("/v1/admin/bills/\(number)", as: .finance).json["ledger"] as! [[String: Any]]).map { $0["kind"] as! String }
    }

    @Test("The same notification sent many times at once settles the bill once", arguments: StoreKind.testCases)
    func concurrentRepeats(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(BillingFlowTests.noon), configure: Self.configure()) { app in
            let bill = try #require(try await Self.billed(app)["粤J5K321"])
            let payment = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "wechat", "bills": [bill.number]])
            let id = try #require(payment.json["id"] as? String)
            let signed = try Self.channels.weChat(payment: id, transaction: "4200000777", fen: bill.fen, at: Int64(app.clock.now.timeIntervalSince1970))
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await app.request(.POST, "/v1/channels/wechat/notify", body: signed.body, headers: signed.headers).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 204 }, "\(statuses)")
            #expect(try await Self.ledgerKinds(app, bill.number) == ["receivable", "received"])
            struct Row: Decodable { var outcome: String; var count: Int }
            let outcomes = try await (app.database as! any SQLDatabase).raw("SELECT outcome, COUNT(*) AS count FROM channel_notifications GROUP BY outcome")
                .all(decoding: Row.self)
            #expect(Dictionary(uniqueKeysWithValues: outcomes.map { ($0.outcome, $0.count) }) == ["settled": 1, "duplicate": 11])
        }
    }

    @Test("A wallet is topped up through a channel, pays at once, refuses to go short, and takes refunds back")
    func wallet() async throws {
        let notices = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-notices-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: notices) }
        try await withTestApp(.sqlite, clock: TestClock(BillingFlowTests.noon), configure: Self.configure(notices: notices)) { app in
            let bills = try await Self.billed(app)
            _ = try await app.request(.POST, "/v1/citizen/sign-in/code", json: ["phone": "13900139000"])
            let code = try BillingFlowTests.signInCode(in: notices)
            let citizen = try #require(try await app.request(.POST, "/v1/citizen/sign-in", json: ["phone": "13900139000", "code": code]).json["token"] as? String)
            #expect(try await app.request(.POST, "/v1/pay/payments", json: ["channel": "wallet", "top_up_fen": 1_000]).status == 401)
            let topUp = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "alipay", "top_up_fen": 1_000], token: citizen)
            #expect(topUp.status == 201 && topUp.json["purpose"] as? String == "top_up")
            let form = try Self.channels.alipay(payment: topUp.json["id"] as! String, transaction: "2026112099", yuan: "10.00")
            #expect(try await app.request(.POST, "/v1/channels/alipay/notify", body: form, contentType: "application/x-www-form-urlencoded").text == "success")
            #expect(try await app.request(.GET, "/v1/citizen/wallet", token: citizen).json["balance_fen"] as? Int == 1_000)

            let a = try #require(bills["粤J5K321"])
            let d = try #require(bills["粤J33333"])
            let both = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "wallet", "bills": [a.number, d.number]], token: citizen)
            try #require(a.fen + d.fen > 1_000 && a.fen <= 1_000, "the two bills must overdraw the ¥10 wallet, one alone must not")
            #expect(both.status == 422 && both.errorCode == "wallet_short")
            let paid = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "wallet", "bills": [a.number]], token: citizen)
            #expect(paid.status == 201 && paid.json["status"] as? String == "paid")
            #expect(try await app.request(.GET, "/v1/citizen/wallet", token: citizen).json["balance_fen"] as? Int == 1_000 - a.fen)
            #expect(try await app.request(.POST, "/v1/pay/payments", json: ["channel": "wallet", "bills": [a.number]], token: citizen).errorCode == "nothing_owed")
            let refund = try await app.request(.POST, "/v1/admin/bills/\(a.number)/refunds", json: ["amount_fen": 200, "reason": "减免", "waive": true], as: .finance)
            #expect(refund.status == 201)
            #expect(try await app.request(.GET, "/v1/citizen/wallet", token: citizen).json["balance_fen"] as? Int == 1_000 - a.fen + 200)
            let receipts = try await app.request(.GET, "/v1/citizen/payments", token: citizen)
            #expect((receipts.json["items"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test("Cash is taken by patrol at once and audited; nobody else takes cash; an unconfigured channel is refused")
    func cashAndChannels() async throws {
        try await withTestApp(.sqlite, clock: TestClock(BillingFlowTests.noon), configure: { $0.backgroundJobs = false }) { app in
            let bills = try await Self.billed(app)
            let a = try #require(bills["粤J5K321"])
            #expect(try await app.request(.POST, "/v1/pay/payments", json: ["channel": "cash", "bills": [a.number]]).status == 401)
            #expect(try await app.request(.POST, "/v1/pay/payments", json: ["channel": "cash", "bills": [a.number]], as: .citizen).status == 403)
            let wechat = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "wechat", "bills": [a.number]])
            #expect(wechat.status == 422 && wechat.errorCode == "channel_not_configured")
            #expect(try await app.request(.POST, "/v1/channels/wechat/notify", body: Data("{}".utf8), headers: [
                ("Wechatpay-Timestamp", "1"), ("Wechatpay-Nonce", "n"), ("Wechatpay-Signature", "s"),
            ]).status == 404)
            let noShift = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "cash", "bills": [a.number]], as: .patrol)
            #expect(noShift.status == 404 && noShift.errorCode == "no_open_shift")
            let officer = try await app.openShift()
            let cash = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "cash", "bills": [a.number]], token: officer)
            #expect(cash.status == 201 && cash.json["status"] as? String == "paid" && cash.json["collected_by"] as? String == "patrol:tester")
            let audit = try await app.get("/v1/admin/audit-log", as: .auditor)
            // Accounts made for the tests' tokens are audited too; what the officer did follows.
            #expect((audit.json["items"] as? [[String: Any]])?.map { $0["action"] as! String }.filter { $0 != "create_staff" } == ["create_beat", "assign_beats", "open_shift", "collect_cash"])
            #expect(try await app.get("/v1/admin/audit-log", as: .patrol).status == 403)
        }
    }

    @Test("A notice that cannot be delivered stays in the outbox and is retried with back-off until it is")
    func noticeRetry() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-notices-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withTestApp(.sqlite, clock: TestClock(BillingFlowTests.noon), configure: { $0.backgroundJobs = false }) { app in
            let a = try #require(try await Self.billed(app)["粤J5K321"])
            // A path under a regular file cannot be created: delivery fails.
            try Data().write(to: URL(fileURLWithPath: directory))
            var broken = app.configuration
            broken.notices = .directory(directory + "/notices")
            let now = { Int64(app.clock.now.timeIntervalSince1970 * 1000) }
            #expect(try await CurbsideApp.dispatchNotices(app.app, broken, store: app.store, now: now()) == 0)
            var notices = try await app.get("/v1/admin/bills/\(a.number)", as: .finance).json["notices"] as! [[String: Any]]
            #expect(notices.first?["attempts"] as? Int == 1 && notices.first?["last_error"] != nil && notices.first?["sent_at"] == nil)
            // Not due again at once.
            #expect(try await CurbsideApp.dispatchNotices(app.app, broken, store: app.store, now: now()) == 0)
            try FileManager.default.removeItem(atPath: directory)
            var fixed = app.configuration
            fixed.notices = .directory(directory)
            #expect(try await CurbsideApp.dispatchNotices(app.app, fixed, store: app.store, now: now()) == 0)
            app.clock.advance(by: 31)
            #expect(try await CurbsideApp.dispatchNotices(app.app, fixed, store: app.store, now: now()) == 2)
            notices = try await app.get("/v1/admin/bills/\(a.number)", as: .finance).json["notices"] as! [[String: Any]]
            #expect(notices.first?["attempts"] as? Int == 2 && notices.first?["sent_at"] != nil)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".png") }.count == 2)
        }
    }

    @Test("A prepayment for a stay that ends inside the free period is refunded whole")
    func prepaidFreeStay() async throws {
        try await withTestApp(.sqlite, clock: TestClock(BillingFlowTests.noon), configure: Self.configure()) { app in
            let arrive = "2026-11-20T11:50:00+08:00"
            try await app.ingest(StayEvents.stay(bay: "10010086", sensor: "GM-1001-008", plate: "粤J66666", from: arrive, to: nil, id: "G"))
            try await app.fuse()
            let prepay = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "unionpay", "bay": "10010086", "minutes_more": 30])
            let id = try #require(prepay.json["id"] as? String)
            let fen = try #require(prepay.json["amount_fen"] as? Int)
            #expect(fen > 0)
            let signed = Self.channels.acquirer(payment: id, transaction: "UP-1", fen: fen, at: Int64(app.clock.now.timeIntervalSince1970))
            #expect(try await app.request(.POST, "/v1/channels/acquirer/unionpay/notify", body: signed.body, headers: signed.headers).status == 204)
            try await app.ingest(StayEvents.stay(bay: "10010086", sensor: "GM-1001-008", plate: "粤J66666", from: arrive, to: "2026-11-20T12:10:00+08:00", id: "G"))
            try await app.fuse()
            app.clock.advance(by: 25 * 60)
            #expect(try await app.bill().noBill == ["free_period": 1])
            let refunds = try await Refunds.list(on: app.database)
            #expect(refunds.count == 1 && refunds.first?.payment == id && refunds.first?.amountFen == fen && refunds.first?.bill == nil)
            #expect(try await app.get("/v1/pay/payments/\(id)").json["applied_at"] != nil)
        }
    }

    @Test("The bill of a session later events void is refunded what was paid and taken off", arguments: StoreKind.testCases)
    func voidedSession(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(BillingFlowTests.noon), configure: Self.configure()) { app in
            let a = try #require(try await Self.billed(app)["粤J5K321"])
            let payment = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "cash", "bills": [a.number]], as: .finance)
            #expect(payment.status == 201)
            // What the fold does when late events no longer support a billed session.
            let session = try #require(try await app.get("/v1/admin/bills/\(a.number)", as: .finance).json["session_id"] as? String)
            try await (app.database as! any SQLDatabase).raw("UPDATE parking_sessions SET status = 'void' WHERE id = \(bind: session)").run()
            #expect(try await app.bill().voided == 1)
            let detail = try await app.get("/v1/admin/bills/\(a.number)", as: .finance)
            #expect(detail.json["status"] as? String == "void" && detail.json["outstanding_fen"] as? Int == 0)
            #expect(try await Self.ledgerKinds(app, a.number) == ["receivable", "received", "discount", "refund"])
            #expect((detail.json["refunds"] as? [[String: Any]])?.first?["amount_fen"] as? Int == a.fen)
            #expect(try await app.bill().voided == 0)
        }
    }
}

/// Who may call the money endpoints, spelled out role by role.
@Suite("Billing access by role")
struct BillingAccessTests {
    static let table: [(method: HTTPMethodName, path: String, json: [String: any Sendable]?, allowed: Set<Role>)] = [
        (.get, "/v1/admin/bills?from=2026-11-19T00:00:00Z&until=2026-11-22T00:00:00Z", nil, [.admin, .operator, .finance, .auditor]),
        (.get, "/v1/admin/bills/NOPE", nil, [.admin, .operator, .finance, .auditor]),
        (.post, "/v1/admin/bills/NOPE/refunds", ["amount_fen": 1, "reason": "r", "waive": false], [.admin, .finance]),
        (.get, "/v1/admin/audit-log", nil, [.admin, .auditor]),
        (.get, "/v1/admin/permits", nil, [.admin, .operator, .finance, .auditor, .patrol]),
        (.post, "/v1/admin/permits", ["id": "P1", "kind": "exempt", "plate": "粤J12345", "from": "2026-11-01T00:00:00Z", "until": "2026-12-01T00:00:00Z"], [.admin, .operator]),
        (.get, "/v1/citizen/bills", nil, [.citizen]),
        (.get, "/v1/citizen/wallet", nil, [.citizen]),
    ]

    enum HTTPMethodName { case get, post }

    @Test("Each role is refused exactly where the table says", arguments: Role.allCases)
    func table(role: Role) async throws {
        try await withTestApp(.sqlite, content: .empty, configure: { $0.backgroundJobs = false }) { app in
            for entry in Self.table {
                let response = try await app.request(entry.method == .get ? .GET : .POST, entry.path, json: entry.json, as: role)
                if entry.allowed.contains(role) {
                    #expect(response.status != 403 && response.status != 401, "\(role) \(entry.path): \(response.status) \(response.text)")
                } else {
                    #expect(response.status == 403 && response.errorCode == "forbidden", "\(role) \(entry.path): \(response.status)")
                }
            }
        }
    }

    @Test("A citizen sees another person's plate masked, and none of their bills in their own list")
    func citizensApart() async throws {
        try await withTestApp(.sqlite, clock: TestClock(BillingFlowTests.noon), configure: { $0.backgroundJobs = false }) { app in
            let bills = try await PaymentRulesTests.billed(app)
            let stranger = try await app.token(.citizen, subject: "C-STRANGER")
            let lookup = try await app.request(.GET, "/v1/pay/bills?plate=%E7%B2%A4J5K321&colour=blue", token: stranger)
            #expect((lookup.json["items"] as? [[String: Any]])?.first?["masked"] as? Bool == true)
            let number = try #require(bills["粤J5K321"]?.number)
            #expect(try await app.request(.GET, "/v1/pay/bills/\(number)", token: stranger).json["bay"] == nil)
            #expect((try await app.request(.GET, "/v1/citizen/bills", token: stranger).json["items"] as? [Any])?.isEmpty == true)
        }
    }
}
