import CurbsideAPI
import CurbsideCore
import CurbsideRender
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import OpenAPIRuntime
import Testing

/// Leave first, pay later, end to end over HTTP: device events become
/// sessions, sessions become bills and notices, and bills are paid through
/// signed channel notifications, refunded and reconciled.
@Suite("Billing and payments over HTTP", .ownThread)
struct BillingFlowTests {
    /// 2026-11-20 12:00 UTC, 20:00 in Heshan.
    static let noon = Date(timeIntervalSince1970: 1_795_176_000)
    static let channels = PaymentChannelSimulator.shared

    static func stays() -> [[String: any Sendable]] {
        func at(_ time: String) -> String { "2026-11-20T\(time):00+08:00" }
        return [
            StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: at("08:00"), to: at("10:00"), id: "A"),
            StayEvents.stay(bay: "10010035", sensor: "GM-1001-003", plate: "粤J11111", from: at("08:00"), to: at("08:20"), id: "B"),
            StayEvents.stay(bay: "1001006X", sensor: "GM-1001-006", plate: "粤J22222", from: at("08:00"), to: at("11:00"), id: "C"),
            StayEvents.stay(bay: "10010043", sensor: "GM-1001-004", plate: "粤J33333", from: at("09:00"), to: at("11:00"), id: "D"),
            StayEvents.stay(bay: "10010051", sensor: "GM-1001-005", plate: "粤J44444", from: at("08:30"), to: at("11:30"), id: "E"),
            StayEvents.stay(bay: "10010078", sensor: "GM-1001-007", plate: "粤J55555", from: at("09:30"), to: at("10:30"), id: "F"),
            StayEvents.stay(bay: "10010086", sensor: "GM-1001-008", plate: "粤J66666", from: at("10:00"), to: nil, id: "G"),
        ].flatMap { $0 }
    }

    static func configure(_ notices: String) -> @Sendable (inout CurbsideConfiguration) -> Void {
        { configuration in
            configuration.backgroundJobs = false
            configuration.channels = channels.settings
            configuration.notices = .directory(notices)
            configuration.billing.publicURL = "https://pay.example.cn"
        }
    }

    @Test("A day's stays are billed and noticed, paid through signed notifications, refunded and reconciled", arguments: StoreKind.testCases)
    func flow(kind: StoreKind) async throws {
        let notices = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-notices-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: notices) }
        let clock = TestClock(Self.noon)
        try await withTestApp(kind, clock: clock, configure: Self.configure(notices)) { app in
            let finance = try await app.client(as: .finance)
            let pass = Components.Schemas.Permit(
                id: "MP-2026-0001", kind: .monthly, plate: "粤J22222", from: try Date(rfc3339: "2026-11-01T00:00:00+08:00"),
                until: try Date(rfc3339: "2026-12-01T00:00:00+08:00")
            )
            _ = try await app.client(as: .operator).addPermit(body: .json(.init(value1: pass, value2: .init(note: "月租 11 月")))).created
            #expect(try await app.ingest(Self.stays()).status == 200)
            try await app.fuse()

            // Within the settle delay nothing is billed; after it, every closed stay is examined once.
            #expect(try await app.bill().issued == 0)
            clock.advance(by: 11 * 60)
            let round = try await app.bill()
            #expect(round.issued == 5)
            #expect(round.noBill == ["free_period": 1])
            #expect(try await app.bill().examined == 0)

            let bills = try await Self.billsByPlate(app)
            #expect(Set(bills.keys) == ["粤J5K321", "粤J22222", "粤J33333", "粤J44444", "粤J55555"])
            for (_, bill) in bills {
                #expect(bill.lines.reduce(0) { $0 + $1.amountFen } == bill.amountDueFen, "lines must sum to the amount due")
                #expect(bill.evidence.count == 4)
            }
            let permitBill = try #require(bills["粤J22222"])
            #expect(permitBill.amountDueFen == 0 && permitBill.chargeFen > 0)
            #expect(permitBill.basis == .permit && permitBill.permitId == "MP-2026-0001")
            #expect(permitBill.lines.last?.kind == "waiver")

            // Notices: one per bill with something to pay, each with its link and QR code.
            #expect(try await app.dispatchNotices() == 4)
            let files = try FileManager.default.contentsOfDirectory(atPath: notices).sorted()
            #expect(files.filter { $0.hasSuffix(".txt") }.count == 4 && files.filter { $0.hasSuffix(".png") }.count == 4)
            let billA = try #require(bills["粤J5K321"])
            let numberA = billA.number
            let noticeA = try #require(files.filter { $0.hasSuffix(".txt") }.map { try String(contentsOfFile: notices + "/" + $0, encoding: .utf8) }.first { $0.contains(numberA) })
            let link = try #require(noticeA.split(separator: "\n").last.map(String.init))
            #expect(link.hasPrefix("https://pay.example.cn/p/"))
            let qr = try #require(files.first { $0.hasSuffix(".png") })
            let image = try PNGImage.decode(Array(try Data(contentsOf: URL(fileURLWithPath: notices + "/" + qr))))
            #expect(image.width == image.height && image.width >= 29 * 4)
            let anyone = try await app.client()
            let token = String(link.dropFirst("https://pay.example.cn/p/".count))
            let opened = try await anyone.openPayLink(path: .init(token: token)).ok.body.json
            #expect(!opened.masked && opened.number == numberA)
            let png = try await Data(collecting: anyone.getPayLinkQR(path: .init(token: token)).ok.body.png, upTo: 1 << 20)
            #expect(try PNGImage.decode(Array(png)).width > 0)
            #expect(try await app.dispatchNotices() == 0)

            // Anyone may look a plate up, masked.
            let lookup = try await anyone.findBills(query: .init(plate: "粤J5K321", colour: .blue)).ok.body.json
            let found = try #require(lookup.items.first)
            #expect(found.plate == "粤J****1" && found.masked && found.bay == nil && found.lines == nil)
            #expect(lookup.totalDueFen == billA.amountDueFen)

            // A citizen signs in with the code sent to the phone and binds the plate with the bill number.
            _ = try await anyone.requestSignInCode(body: .json(.init(phone: "13800138000"))).accepted
            #expect(try await anyone.requestSignInCode(body: .json(.init(phone: "13800138000"))).tooManyRequests.body.json.code == "code_too_soon")
            let code = try Self.signInCode(in: notices)
            let wrong = try await anyone.signIn(body: .json(.init(phone: "13800138000", code: "000000" == code ? "111111" : "000000")))
            #expect(try wrong.unauthorized.body.json.code == "code_invalid")
            let citizen = try await app.client(token: try await anyone.signIn(body: .json(.init(phone: "13800138000", code: code))).ok.body.json.token)
            // What anyone can look up proves nothing: the bill's number, from the masked answer above, is refused.
            for proof in ["WRONGTOKEN", found.number] {
                let bound = try await citizen.bindPlate(body: .json(.init(plate: "粤J5K321", colour: .blue, noticeToken: proof)))
                #expect(try bound.unprocessableContent.body.json.code == "proof_mismatch")
            }
            let noticeToken = try await app.noticeToken(numberA)
            #expect(try await citizen.bindPlate(body: .json(.init(plate: "粤J44444", colour: .blue, noticeToken: noticeToken))).unprocessableContent.body.json.code == "proof_mismatch")
            _ = try await citizen.bindPlate(body: .json(.init(plate: "粤J5K321", colour: .blue, noticeToken: noticeToken))).created
            #expect(try await citizen.findBills(query: .init(plate: "粤J5K321", colour: .blue)).ok.body.json.items.first?.plate == "粤J5K321")

            // WeChat Pay settles bill A once: a repeat changes nothing, a forgery is refused.
            let payA = try await citizen.createPayment(body: .json(.init(channel: .wechat, bills: [numberA]))).created.body.json
            #expect(payA.status == .pending)
            let paymentA = payA.id
            let amountA = billA.amountDueFen
            #expect(payA.amountFen == amountA)
            let seconds = Int64(clock.now.timeIntervalSince1970)
            let forged = try Self.channels.weChat(payment: paymentA, transaction: "4200000001", fen: amountA, at: seconds, signer: Self.channels.forgerKey)
            _ = try await anyone.wechatNotify(forged).unauthorized
            #expect(try await Self.outstanding(numberA, app) == amountA)
            let genuine = try Self.channels.weChat(payment: paymentA, transaction: "4200000001", fen: amountA, at: seconds)
            _ = try await anyone.wechatNotify(genuine).noContent
            _ = try await anyone.wechatNotify(genuine).noContent
            let detailA = try await app.billDetail(numberA)
            #expect(detailA.value1.status == .settled && detailA.value1.outstandingFen == 0)
            #expect(detailA.value2.ledger.map(\.kind.rawValue) == ["receivable", "received"])
            let receipt = try await anyone.getPayment(path: .init(paymentId: paymentA)).ok.body.json
            #expect(receipt.status == .paid && receipt.transactionId == "4200000001")

            // Alipay settles D; an altered amount is refused and changes nothing.
            let billD = try #require(bills["粤J33333"])
            let numberD = billD.number
            let paymentD = try await anyone.createPayment(body: .json(.init(channel: .alipay, bills: [numberD]))).created.body.json.id
            let yuanD = Money.yuan(billD.amountDueFen)
            let altered = try Self.channels.alipay(payment: paymentD, transaction: "2026112022001", yuan: yuanD) { $0["total_amount"] = "0.01" }
            #expect(try await String(collecting: anyone.alipayNotify(altered).badRequest.body.plainText, upTo: 1024) == "fail")
            #expect(try await Self.outstanding(numberD, app) == billD.amountDueFen)
            let alipay = try Self.channels.alipay(payment: paymentD, transaction: "2026112022001", yuan: yuanD)
            #expect(try await String(collecting: anyone.alipayNotify(alipay).ok.body.plainText, upTo: 1024) == "success")
            #expect(try await Self.outstanding(numberD, app) == 0)

            // UnionPay (through the acquirer) settles E; finance refunds part of it, never more than was paid.
            let billE = try #require(bills["粤J44444"])
            let numberE = billE.number
            let amountE = billE.amountDueFen
            let paymentE = try await anyone.createPayment(body: .json(.init(channel: .unionpay, bills: [numberE]))).created.body.json.id
            let acquired = Self.channels.acquirer(payment: paymentE, transaction: "UP-881", fen: amountE, at: Int64(clock.now.timeIntervalSince1970))
            _ = try await anyone.acquirerNotify(.unionpay, acquired).noContent
            let tooMuch = try await finance.refundBill(path: .init(number: numberE), body: .json(.init(amountFen: amountE + 1, reason: "x", waive: true)))
            #expect(try tooMuch.unprocessableContent.body.json.code == "refund_exceeds_paid")
            _ = try await app.client(as: .patrol).refundBill(path: .init(number: numberE), body: .json(.init(amountFen: 100, reason: "x", waive: true))).forbidden
            let refund = try await finance.refundBill(path: .init(number: numberE), body: .json(.init(amountFen: 100, reason: "传感器误差，减免 1 元", waive: true)))
            #expect(try refund.created.body.json.paymentId == paymentE)
            let detailE = try await app.client(as: .auditor).getBill(path: .init(number: numberE)).ok.body.json
            #expect(detailE.value2.ledger.map(\.kind.rawValue) == ["receivable", "received", "discount", "refund"])
            #expect(detailE.value1.outstandingFen == 0 && detailE.value2.refunds.count == 1)
            let audit = try await app.client(as: .auditor).listAuditLog(query: .init(subject: numberE)).ok.body.json.items
            #expect(audit.first?.action == "refund")

            // A car still parked is prepaid through WeChat; when it leaves, the prepayment goes to its bill.
            let stay = try await anyone.getBayStay(path: .init(code: "10010086")).ok.body.json
            #expect(stay.plate == "粤J****6")
            let prepay = try await anyone.createPayment(body: .json(.init(channel: .wechat, bay: "10010086", minutesMore: 15))).created.body.json
            let paymentG = prepay.id
            let prepaid = prepay.amountFen
            #expect(prepaid >= stay.amountSoFarFen && prepay.purpose == .prepay)
            let notifyG = try Self.channels.weChat(payment: paymentG, transaction: "4200000002", fen: prepaid, at: Int64(clock.now.timeIntervalSince1970))
            _ = try await anyone.wechatNotify(notifyG).noContent
            #expect(try await anyone.getBayStay(path: .init(code: "10010086")).ok.body.json.prepaidFen == prepaid)
            try await app.ingest(StayEvents.stay(bay: "10010086", sensor: "GM-1001-008", plate: "粤J66666", from: "2026-11-20T10:00:00+08:00", to: "2026-11-20T12:20:00+08:00", id: "G"))
            try await app.fuse()
            clock.advance(by: 30 * 60)
            #expect(try await app.bill().prepaymentsApplied == 1)
            let billG = try #require(try await Self.billsByPlate(app)["粤J66666"])
            let chargeG = billG.amountDueFen
            #expect(billG.outstandingFen == max(0, chargeG - prepaid))
            let refundsG = try await app.billDetail(billG.number).value2.refunds
            #expect(refundsG.map(\.amountFen).reduce(0, +) == max(0, prepaid - chargeG))

            // F paid through WeChat too; then WeChat's statement for the day holds one difference of each kind.
            let billF = try #require(try await Self.billsByPlate(app)["粤J55555"])
            let paymentF = try await anyone.createPayment(body: .json(.init(channel: .wechat, bills: [billF.number]))).created.body.json.id
            let amountF = billF.amountDueFen
            let notifyF = try Self.channels.weChat(payment: paymentF, transaction: "4200000003", fen: amountF, at: Int64(clock.now.timeIntervalSince1970))
            _ = try await anyone.wechatNotify(notifyF).noContent
            let statement = """
                交易时间,公众账号ID,商户号,子商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,订单金额
                `2026-11-20 12:11:05,`wx01,`1900000001,`,`,`4200000001,`\(paymentA),`o1,`NATIVE,`SUCCESS,`CMB_DEBIT,`CNY,`\(Money.yuan(amountA))
                `2026-11-20 12:14:40,`wx01,`1900000001,`,`,`4200000003,`\(paymentF),`o2,`NATIVE,`SUCCESS,`CMB_DEBIT,`CNY,`\(Money.yuan(amountF + 50))
                `2026-11-20 12:15:00,`wx01,`1900000001,`,`,`4200000099,`PAYUNKNOWN00000000001,`o3,`NATIVE,`SUCCESS,`CMB_DEBIT,`CNY,`5.00
                总交易单数,应结订单总金额,退款总金额
                `3,`\(Money.yuan(amountA + amountF + 550)),`0.00
                """
            let reconciled = try await finance.reconcileStatement(query: .init(channel: .wechat, day: "2026-11-20"), body: .csv(HTTPBody(statement))).created.body.json
            #expect(reconciled.matched == 1)
            let differences = reconciled.differences.map { "\($0.kind.rawValue) \($0.paymentId)" }.sorted()
            #expect(differences == ["amount_mismatch \(paymentF)", "missing_on_our_side PAYUNKNOWN00000000001", "missing_on_theirs \(paymentG)"].sorted())

            // Every figure is a sum of ledger entries.
            let totals = try await Bills(store: app.store, database: app.database).totals()
            let allBills = try await Self.billsByPlate(app).values
            let charged: Int = allBills.reduce(0) { $0 + $1.chargeFen }
            let owed: Int = allBills.reduce(0) { $0 + $1.outstandingFen }
            func total(_ kind: LedgerEntry.Kind) -> Int { totals[kind] ?? 0 }
            let reduced: Int = total(.exemption) + total(.discount) + total(.writeOff)
            #expect(total(.receivable) == charged)
            #expect(total(.receivable) - reduced - total(.received) + total(.refund) == owed)
        }
    }

    /// Three stays of 20 November (粤J5K321 at 10010027, 粤J33333 at 10010043, 粤J44444 at 10010051), folded and billed
    /// eleven minutes on; their bills by plate.
    static func threeBilledStays(_ app: TestApp, clock: TestClock) async throws -> [String: Components.Schemas.Bill] {
        func at(_ time: String) -> String { "2026-11-20T\(time):00+08:00" }
        let events = StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: at("08:00"), to: at("10:00"), id: "A")
            + StayEvents.stay(bay: "10010043", sensor: "GM-1001-004", plate: "粤J33333", from: at("09:00"), to: at("11:00"), id: "D")
            + StayEvents.stay(bay: "10010051", sensor: "GM-1001-005", plate: "粤J44444", from: at("08:30"), to: at("11:30"), id: "E")
        #expect(try await app.ingest(events).status == 200)
        try await app.fuse()
        clock.advance(by: 11 * 60)
        #expect(try await app.bill().issued == 3)
        return try await billsByPlate(app)
    }

    static func billsByPlate(_ app: TestApp) async throws -> [String: Components.Schemas.Bill] {
        let query = Operations.ListBills.Input.Query(from: try Date(rfc3339: "2026-11-19T00:00:00Z"), until: try Date(rfc3339: "2026-11-22T00:00:00Z"))
        let page = try await app.client(as: .finance).listBills(query: query).ok.body.json
        return Dictionary(uniqueKeysWithValues: page.items.map { ($0.plate, $0) })
    }

    static func outstanding(_ number: String, _ app: TestApp) async throws -> Int {
        try await app.billDetail(number).value1.outstandingFen
    }

    static func signInCode(in directory: String) throws -> String {
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasPrefix("sign-in-") && $0.hasSuffix(".txt") })
        let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
        return try #require(text.split(whereSeparator: { !$0.isNumber }).first { $0.count == 6 }.map(String.init))
    }
}
