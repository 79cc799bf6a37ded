import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing

/// The rules around payments: a notification settles once however often and
/// however concurrently it comes; wallets, cash and unconfigured channels;
/// notices retried until delivered; a voided session's bill given back.
@Suite("Payment rules", .ownThread)
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
        let query = Operations.ListBills.Input.Query(from: try Date(rfc3339: "2026-11-19T00:00:00Z"), until: try Date(rfc3339: "2026-11-22T00:00:00Z"))
        let page = try await app.client(as: .finance).listBills(query: query).ok.body.json
        return Dictionary(uniqueKeysWithValues: page.items.map { ($0.plate, ($0.number, $0.amountDueFen)) })
    }

    static func configure(notices: String = "/dev/null/unused") -> @Sendable (inout CurbsideConfiguration) -> Void {
        { configuration in
            configuration.backgroundJobs = false
            configuration.channels = channels.settings
            configuration.notices = .directory(notices)
        }
    }

    static func ledgerKinds(_ app: TestApp, _ number: String) async throws -> [String] {
        try await app.billDetail(number).value2.ledger.map(\.kind.rawValue)
    }

    @Test("The same notification sent many times at once settles the bill once", arguments: StoreKind.testCases)
    func concurrentRepeats(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(BillingFlowTests.noon), configure: Self.configure()) { app in
            let bill = try #require(try await Self.billed(app)["粤J5K321"])
            let citizen = try await app.client()
            let id = try await citizen.createPayment(body: .json(.init(channel: .wechat, bills: [bill.number]))).created.body.json.id
            let signed = try Self.channels.weChat(payment: id, transaction: "4200000777", fen: bill.fen, at: Int64(app.clock.now.timeIntervalSince1970))
            let answers = try await withThrowingTaskGroup(of: Operations.WechatNotify.Output.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await citizen.wechatNotify(signed) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { if case .noContent = $0 { true } else { false } }, "\(answers)")
            #expect(try await Self.ledgerKinds(app, bill.number) == ["receivable", "received"])
            struct Row: Decodable { var outcome: String; var count: Int }
            let outcomes = try await app.database.sql.raw("SELECT outcome, COUNT(*) AS count FROM channel_notifications GROUP BY outcome")
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
            let anyone = try await app.client()
            _ = try await anyone.requestSignInCode(body: .json(.init(phone: "13900139000"))).accepted
            let code = try BillingFlowTests.signInCode(in: notices)
            let citizen = try await app.client(token: try await anyone.signIn(body: .json(.init(phone: "13900139000", code: code))).ok.body.json.token)
            _ = try await anyone.createPayment(body: .json(.init(channel: .wallet, topUpFen: 1_000))).unauthorized
            let topUp = try await citizen.createPayment(body: .json(.init(channel: .alipay, topUpFen: 1_000))).created.body.json
            #expect(topUp.purpose == .topUp)
            let form = try Self.channels.alipay(payment: topUp.id, transaction: "2026112099", yuan: "10.00")
            #expect(try await String(collecting: anyone.alipayNotify(form).ok.body.plainText, upTo: 1024) == "success")
            #expect(try await citizen.getMyWallet().ok.body.json.balanceFen == 1_000)

            let a = try #require(bills["粤J5K321"])
            let d = try #require(bills["粤J33333"])
            try #require(a.fen + d.fen > 1_000 && a.fen <= 1_000, "the two bills must overdraw the ¥10 wallet, one alone must not")
            let both = try await citizen.createPayment(body: .json(.init(channel: .wallet, bills: [a.number, d.number])))
            #expect(try both.unprocessableContent.body.json.code == "wallet_short")
            #expect(try await citizen.createPayment(body: .json(.init(channel: .wallet, bills: [a.number]))).created.body.json.status == .paid)
            #expect(try await citizen.getMyWallet().ok.body.json.balanceFen == 1_000 - a.fen)
            let again = try await citizen.createPayment(body: .json(.init(channel: .wallet, bills: [a.number])))
            #expect(try again.conflict.body.json.code == "nothing_owed")
            let refund = Operations.RefundBill.Input.Body.JsonPayload(amountFen: 200, reason: "减免", waive: true)
            _ = try await app.client(as: .finance).refundBill(path: .init(number: a.number), body: .json(refund)).created
            #expect(try await citizen.getMyWallet().ok.body.json.balanceFen == 1_000 - a.fen + 200)
            #expect(try await citizen.listMyPayments().ok.body.json.items.count == 2)
        }
    }

    @Test("Cash is taken by patrol at once and audited; nobody else takes cash; an unconfigured channel is refused")
    func cashAndChannels() async throws {
        try await withTestApp(.sqlite, clock: TestClock(BillingFlowTests.noon), configure: { $0.backgroundJobs = false }) { app in
            let bills = try await Self.billed(app)
            let a = try #require(bills["粤J5K321"])
            let cash = Operations.CreatePayment.Input.Body.json(.init(channel: .cash, bills: [a.number]))
            _ = try await app.client().createPayment(body: cash).unauthorized
            _ = try await app.client(as: .citizen).createPayment(body: cash).forbidden
            let wechat = try await app.client().createPayment(body: .json(.init(channel: .wechat, bills: [a.number])))
            #expect(try wechat.unprocessableContent.body.json.code == "channel_not_configured")
            _ = try await app.client().wechatNotify(([("Wechatpay-Timestamp", "1"), ("Wechatpay-Nonce", "n"), ("Wechatpay-Signature", "s")], Data("{}".utf8))).notFound
            #expect(try await app.client(as: .patrol).createPayment(body: cash).notFound.body.json.code == "no_open_shift")
            let paid = try await app.client(token: try await app.openShift()).createPayment(body: cash).created.body.json
            #expect(paid.status == .paid && paid.collectedBy == "patrol:tester")
            let audit = try await app.client(as: .auditor).listAuditLog().ok.body.json.items
            // Accounts made for the tests' tokens are audited too; what the officer did follows.
            #expect(audit.map(\.action).filter { $0 != "create_staff" } == ["create_beat", "assign_beats", "open_shift", "collect_cash"])
            _ = try await app.client(as: .patrol).listAuditLog().forbidden
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
            var notices = try await app.billDetail(a.number).value2.notices
            #expect(notices.first?.attempts == 1 && notices.first?.lastError != nil && notices.first?.sentAt == nil)
            // Not due again at once.
            #expect(try await CurbsideApp.dispatchNotices(app.app, broken, store: app.store, now: now()) == 0)
            try FileManager.default.removeItem(atPath: directory)
            var fixed = app.configuration
            fixed.notices = .directory(directory)
            #expect(try await CurbsideApp.dispatchNotices(app.app, fixed, store: app.store, now: now()) == 0)
            app.clock.advance(by: 31)
            #expect(try await CurbsideApp.dispatchNotices(app.app, fixed, store: app.store, now: now()) == 2)
            notices = try await app.billDetail(a.number).value2.notices
            #expect(notices.first?.attempts == 2 && notices.first?.sentAt != nil)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".png") }.count == 2)
        }
    }

    @Test("A prepayment for a stay that ends inside the free period is refunded whole")
    func prepaidFreeStay() async throws {
        try await withTestApp(.sqlite, clock: TestClock(BillingFlowTests.noon), configure: Self.configure()) { app in
            let arrive = "2026-11-20T11:50:00+08:00"
            try await app.ingest(StayEvents.stay(bay: "10010086", sensor: "GM-1001-008", plate: "粤J66666", from: arrive, to: nil, id: "G"))
            try await app.fuse()
            let citizen = try await app.client()
            let prepay = try await citizen.createPayment(body: .json(.init(channel: .unionpay, bay: "10010086", minutesMore: 30))).created.body.json
            let id = prepay.id
            let fen = prepay.amountFen
            #expect(fen > 0)
            let signed = Self.channels.acquirer(payment: id, transaction: "UP-1", fen: fen, at: Int64(app.clock.now.timeIntervalSince1970))
            _ = try await citizen.acquirerNotify(.unionpay, signed).noContent
            try await app.ingest(StayEvents.stay(bay: "10010086", sensor: "GM-1001-008", plate: "粤J66666", from: arrive, to: "2026-11-20T12:10:00+08:00", id: "G"))
            try await app.fuse()
            app.clock.advance(by: 25 * 60)
            #expect(try await app.bill().noBill == ["free_period": 1])
            let refunds = try await Refunds.list(on: app.database)
            #expect(refunds.count == 1 && refunds.first?.payment == id && refunds.first?.amountFen == fen && refunds.first?.bill == nil)
            #expect(try await citizen.getPayment(path: .init(paymentId: id)).ok.body.json.appliedAt != nil)
        }
    }

    @Test("The bill of a session later events void is refunded what was paid and taken off", arguments: StoreKind.testCases)
    func voidedSession(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(BillingFlowTests.noon), configure: Self.configure()) { app in
            let a = try #require(try await Self.billed(app)["粤J5K321"])
            _ = try await app.client(as: .finance).createPayment(body: .json(.init(channel: .cash, bills: [a.number]))).created
            // What the fold does when late events no longer support a billed session.
            let session = try await app.billDetail(a.number).value1.sessionId
            try await app.database.sql.raw("UPDATE parking_sessions SET status = 'void' WHERE id = \(bind: session)").run()
            #expect(try await app.bill().voided == 1)
            let detail = try await app.billDetail(a.number)
            #expect(detail.value1.status == .void && detail.value1.outstandingFen == 0)
            #expect(detail.value2.ledger.map(\.kind.rawValue) == ["receivable", "received", "discount", "refund"])
            #expect(detail.value2.refunds.first?.amountFen == a.fen)
            #expect(try await app.bill().voided == 0)
        }
    }
}

/// Who may call the money endpoints, spelled out role by role.
@Suite("Billing access by role", .ownThread)
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
            let stranger = try await app.client(as: .citizen, subject: "C-STRANGER")
            #expect(try await stranger.findBills(query: .init(plate: "粤J5K321", colour: .blue)).ok.body.json.items.first?.masked == true)
            let number = try #require(bills["粤J5K321"]?.number)
            let seen = try await stranger.getBillForPayment(path: .init(number: number)).ok.body.json
            #expect(seen.bay == nil && seen.masked)
            #expect(try await stranger.listMyBills().ok.body.json.items.isEmpty)
        }
    }
}
