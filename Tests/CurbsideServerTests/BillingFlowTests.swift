import CurbsideCore
import CurbsideRender
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import Foundation
import Testing

/// Leave first, pay later, end to end over HTTP: device events become
/// sessions, sessions become bills and notices, and bills are paid through
/// signed channel notifications, refunded and reconciled.
@Suite("Billing and payments over HTTP")
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
            let permit = try await app.request(.POST, "/v1/admin/permits", json: [
                "id": "MP-2026-0001", "kind": "monthly", "plate": "粤J22222", "from": "2026-11-01T00:00:00+08:00", "until": "2026-12-01T00:00:00+08:00",
                "note": "月租 11 月",
            ], as: .operator)
            #expect(permit.status == 201, "\(permit.text)")
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
                let lines = bill["lines"] as! [[String: Any]]
                #expect(lines.reduce(0) { $0 + ($1["amount_fen"] as! Int) } == bill["amount_due_fen"] as! Int, "lines must sum to the amount due")
                #expect((bill["evidence"] as! [String]).count == 4)
            }
            let permitBill = try #require(bills["粤J22222"])
            #expect(permitBill["amount_due_fen"] as? Int == 0 && (permitBill["charge_fen"] as! Int) > 0)
            #expect(permitBill["basis"] as? String == "permit" && permitBill["permit_id"] as? String == "MP-2026-0001")
            #expect((permitBill["lines"] as! [[String: Any]]).last?["kind"] as? String == "waiver")

            // Notices: one per bill with something to pay, each with its link and QR code.
            #expect(try await app.dispatchNotices() == 4)
            let files = try FileManager.default.contentsOfDirectory(atPath: notices).sorted()
            #expect(files.filter { $0.hasSuffix(".txt") }.count == 4 && files.filter { $0.hasSuffix(".png") }.count == 4)
            let billA = try #require(bills["粤J5K321"])
            let numberA = billA["number"] as! String
            let noticeA = try #require(files.filter { $0.hasSuffix(".txt") }.map { try String(contentsOfFile: notices + "/" + $0, encoding: .utf8) }.first { $0.contains(numberA) })
            let link = try #require(noticeA.split(separator: "\n").last.map(String.init))
            #expect(link.hasPrefix("https://pay.example.cn/p/"))
            let qr = try #require(files.first { $0.hasSuffix(".png") })
            let image = try PNGImage.decode(Array(try Data(contentsOf: URL(fileURLWithPath: notices + "/" + qr))))
            #expect(image.width == image.height && image.width >= 29 * 4)
            let path = String(link.dropFirst("https://pay.example.cn".count))
            let opened = try await app.get(path)
            #expect(opened.status == 200 && opened.json["masked"] as? Bool == false && opened.json["number"] as? String == numberA)
            let png = try await app.get(path + "/qr.png")
            #expect(png.status == 200 && png.headers.first(name: "Content-Type") == "image/png")
            #expect(try await app.dispatchNotices() == 0)

            // Anyone may look a plate up, masked.
            let lookup = try await app.get("/v1/pay/bills?plate=%E7%B2%A4J5K321&colour=blue")
            let found = try #require((lookup.json["items"] as? [[String: Any]])?.first)
            #expect(found["plate"] as? String == "粤J****1" && found["masked"] as? Bool == true && found["bay"] == nil && found["lines"] == nil)
            #expect(lookup.json["total_due_fen"] as? Int == billA["amount_due_fen"] as? Int)

            // A citizen signs in with the code sent to the phone and binds the plate with the bill number.
            #expect(try await app.request(.POST, "/v1/citizen/sign-in/code", json: ["phone": "13800138000"]).status == 202)
            #expect(try await app.request(.POST, "/v1/citizen/sign-in/code", json: ["phone": "13800138000"]).errorCode == "code_too_soon")
            let code = try Self.signInCode(in: notices)
            #expect(try await app.request(.POST, "/v1/citizen/sign-in", json: ["phone": "13800138000", "code": "000000" == code ? "111111" : "000000"]).errorCode == "code_invalid")
            let signedIn = try await app.request(.POST, "/v1/citizen/sign-in", json: ["phone": "13800138000", "code": code])
            let citizen = try #require(signedIn.json["token"] as? String)
            // What anyone can look up proves nothing: the bill's number, from the masked answer above, is refused.
            for proof in ["WRONGTOKEN", found["number"] as! String] {
                #expect(try await app.request(.POST, "/v1/citizen/plates", json: ["plate": "粤J5K321", "colour": "blue", "notice_token": proof], token: citizen).errorCode == "proof_mismatch")
            }
            let noticeToken = try await app.noticeToken(numberA)
            #expect(try await app.request(.POST, "/v1/citizen/plates", json: ["plate": "粤J44444", "colour": "blue", "notice_token": noticeToken], token: citizen).errorCode == "proof_mismatch")
            #expect(try await app.request(.POST, "/v1/citizen/plates", json: ["plate": "粤J5K321", "colour": "blue", "notice_token": noticeToken], token: citizen).status == 201)
            let mine = try await app.request(.GET, "/v1/pay/bills?plate=%E7%B2%A4J5K321&colour=blue", token: citizen)
            #expect((mine.json["items"] as? [[String: Any]])?.first?["plate"] as? String == "粤J5K321")

            // WeChat Pay settles bill A once: a repeat changes nothing, a forgery is refused.
            let payA = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "wechat", "bills": [numberA]], token: citizen)
            #expect(payA.status == 201 && payA.json["status"] as? String == "pending")
            let paymentA = try #require(payA.json["id"] as? String)
            let amountA = billA["amount_due_fen"] as! Int
            #expect(payA.json["amount_fen"] as? Int == amountA)
            let seconds = Int64(clock.now.timeIntervalSince1970)
            let forged = try Self.channels.weChat(payment: paymentA, transaction: "4200000001", fen: amountA, at: seconds, signer: Self.channels.forgerKey)
            #expect(try await app.request(.POST, "/v1/channels/wechat/notify", body: forged.body, headers: forged.headers).status == 401)
            #expect(try await Self.outstanding(numberA, app) == amountA)
            let genuine = try Self.channels.weChat(payment: paymentA, transaction: "4200000001", fen: amountA, at: seconds)
            #expect(try await app.request(.POST, "/v1/channels/wechat/notify", body: genuine.body, headers: genuine.headers).status == 204)
            #expect(try await app.request(.POST, "/v1/channels/wechat/notify", body: genuine.body, headers: genuine.headers).status == 204)
            let detailA = try await app.get("/v1/admin/bills/\(numberA)", as: .finance)
            #expect(detailA.json["status"] as? String == "settled" && detailA.json["outstanding_fen"] as? Int == 0)
            #expect((detailA.json["ledger"] as! [[String: Any]]).map { $0["kind"] as! String } == ["receivable", "received"])
            let receipt = try await app.get("/v1/pay/payments/\(paymentA)")
            #expect(receipt.json["status"] as? String == "paid" && receipt.json["transaction_id"] as? String == "4200000001")

            // Alipay settles D; an altered amount is refused and changes nothing.
            let billD = try #require(bills["粤J33333"])
            let numberD = billD["number"] as! String
            let payD = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "alipay", "bills": [numberD]])
            let paymentD = try #require(payD.json["id"] as? String)
            let yuanD = Money.yuan(billD["amount_due_fen"] as! Int)
            let altered = try Self.channels.alipay(payment: paymentD, transaction: "2026112022001", yuan: yuanD) { $0["total_amount"] = "0.01" }
            #expect(try await app.request(.POST, "/v1/channels/alipay/notify", body: altered, contentType: "application/x-www-form-urlencoded").text == "fail")
            #expect(try await Self.outstanding(numberD, app) == billD["amount_due_fen"] as? Int)
            let alipay = try Self.channels.alipay(payment: paymentD, transaction: "2026112022001", yuan: yuanD)
            #expect(try await app.request(.POST, "/v1/channels/alipay/notify", body: alipay, contentType: "application/x-www-form-urlencoded").text == "success")
            #expect(try await Self.outstanding(numberD, app) == 0)

            // UnionPay (through the acquirer) settles E; finance refunds part of it, never more than was paid.
            let billE = try #require(bills["粤J44444"])
            let numberE = billE["number"] as! String
            let amountE = billE["amount_due_fen"] as! Int
            let payE = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "unionpay", "bills": [numberE]])
            let paymentE = try #require(payE.json["id"] as? String)
            let acquired = Self.channels.acquirer(payment: paymentE, transaction: "UP-881", fen: amountE, at: Int64(clock.now.timeIntervalSince1970))
            #expect(try await app.request(.POST, "/v1/channels/acquirer/unionpay/notify", body: acquired.body, headers: acquired.headers).status == 204)
            let tooMuch = try await app.request(.POST, "/v1/admin/bills/\(numberE)/refunds", json: ["amount_fen": amountE + 1, "reason": "x", "waive": true], as: .finance)
            #expect(tooMuch.status == 422 && tooMuch.errorCode == "refund_exceeds_paid")
            #expect(try await app.request(.POST, "/v1/admin/bills/\(numberE)/refunds", json: ["amount_fen": 100, "reason": "x", "waive": true], as: .patrol).status == 403)
            let refund = try await app.request(.POST, "/v1/admin/bills/\(numberE)/refunds", json: ["amount_fen": 100, "reason": "传感器误差，减免 1 元", "waive": true], as: .finance)
            #expect(refund.status == 201 && refund.json["payment_id"] as? String == paymentE)
            let detailE = try await app.get("/v1/admin/bills/\(numberE)", as: .auditor)
            #expect((detailE.json["ledger"] as! [[String: Any]]).map { $0["kind"] as! String } == ["receivable", "received", "discount", "refund"])
            #expect(detailE.json["outstanding_fen"] as? Int == 0 && (detailE.json["refunds"] as! [Any]).count == 1)
            let audit = try await app.get("/v1/admin/audit-log?subject=\(numberE)", as: .auditor)
            #expect((audit.json["items"] as? [[String: Any]])?.first?["action"] as? String == "refund")

            // A car still parked is prepaid through WeChat; when it leaves, the prepayment goes to its bill.
            let stay = try await app.get("/v1/pay/bays/10010086/stay")
            #expect(stay.status == 200 && stay.json["plate"] as? String == "粤J****6")
            let soFar = try #require(stay.json["amount_so_far_fen"] as? Int)
            let prepay = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "wechat", "bay": "10010086", "minutes_more": 15])
            let paymentG = try #require(prepay.json["id"] as? String)
            let prepaid = try #require(prepay.json["amount_fen"] as? Int)
            #expect(prepaid >= soFar && prepay.json["purpose"] as? String == "prepay")
            let notifyG = try Self.channels.weChat(payment: paymentG, transaction: "4200000002", fen: prepaid, at: Int64(clock.now.timeIntervalSince1970))
            #expect(try await app.request(.POST, "/v1/channels/wechat/notify", body: notifyG.body, headers: notifyG.headers).status == 204)
            #expect(try await app.get("/v1/pay/bays/10010086/stay").json["prepaid_fen"] as? Int == prepaid)
            try await app.ingest(StayEvents.stay(bay: "10010086", sensor: "GM-1001-008", plate: "粤J66666", from: "2026-11-20T10:00:00+08:00", to: "2026-11-20T12:20:00+08:00", id: "G"))
            try await app.fuse()
            clock.advance(by: 30 * 60)
            #expect(try await app.bill().prepaymentsApplied == 1)
            let billG = try #require(try await Self.billsByPlate(app)["粤J66666"])
            let chargeG = billG["amount_due_fen"] as! Int
            #expect(billG["outstanding_fen"] as? Int == max(0, chargeG - prepaid))
            let refundsG = try await app.get("/v1/admin/bills/\(billG["number"] as! String)", as: .finance).json["refunds"] as! [[String: Any]]
            #expect(refundsG.map { $0["amount_fen"] as! Int }.reduce(0, +) == max(0, prepaid - chargeG))

            // F paid through WeChat too; then WeChat's statement for the day holds one difference of each kind.
            let billF = try #require(try await Self.billsByPlate(app)["粤J55555"])
            let payF = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "wechat", "bills": [billF["number"] as! String]])
            let paymentF = try #require(payF.json["id"] as? String)
            let amountF = billF["amount_due_fen"] as! Int
            let notifyF = try Self.channels.weChat(payment: paymentF, transaction: "4200000003", fen: amountF, at: Int64(clock.now.timeIntervalSince1970))
            #expect(try await app.request(.POST, "/v1/channels/wechat/notify", body: notifyF.body, headers: notifyF.headers).status == 204)
            let statement = """
                交易时间,公众账号ID,商户号,子商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,订单金额
                `2026-11-20 12:11:05,`wx01,`1900000001,`,`,`4200000001,`\(paymentA),`o1,`NATIVE,`SUCCESS,`CMB_DEBIT,`CNY,`\(Money.yuan(amountA))
                `2026-11-20 12:14:40,`wx01,`1900000001,`,`,`4200000003,`\(paymentF),`o2,`NATIVE,`SUCCESS,`CMB_DEBIT,`CNY,`\(Money.yuan(amountF + 50))
                `2026-11-20 12:15:00,`wx01,`1900000001,`,`,`4200000099,`PAYUNKNOWN00000000001,`o3,`NATIVE,`SUCCESS,`CMB_DEBIT,`CNY,`5.00
                总交易单数,应结订单总金额,退款总金额
                `3,`\(Money.yuan(amountA + amountF + 550)),`0.00
                """
            let reconciled = try await app.request(
                .POST, "/v1/admin/reconciliations?channel=wechat&day=2026-11-20", body: Data(statement.utf8), contentType: "text/csv", as: .finance
            )
            #expect(reconciled.status == 201, "\(reconciled.text)")
            #expect(reconciled.json["matched"] as? Int == 1)
            let differences = (reconciled.json["differences"] as? [[String: Any]] ?? []).map { "\($0["kind"]!) \($0["payment_id"]!)" }.sorted()
            #expect(differences == ["amount_mismatch \(paymentF)", "missing_on_our_side PAYUNKNOWN00000000001", "missing_on_theirs \(paymentG)"].sorted())

            // Every figure is a sum of ledger entries.
            let totals = try await Bills(store: app.store, database: app.database).totals()
            let allBills = try await Self.billsByPlate(app).values
            let charged: Int = allBills.reduce(0) { $0 + ($1["charge_fen"] as! Int) }
            let owed: Int = allBills.reduce(0) { $0 + ($1["outstanding_fen"] as! Int) }
            func total(_ kind: LedgerEntry.Kind) -> Int { totals[kind] ?? 0 }
            let reduced: Int = total(.exemption) + total(.discount) + total(.writeOff)
            #expect(total(.receivable) == charged)
            #expect(total(.receivable) - reduced - total(.received) + total(.refund) == owed)
        }
    }

    static func billsByPlate(_ app: TestApp) async throws -> [String: [String: Any]] {
        let response = try await app.get("/v1/admin/bills?from=2026-11-19T00:00:00Z&until=2026-11-22T00:00:00Z", as: .finance)
        #expect(response.status == 200, "\(response.text)")
        return Dictionary(uniqueKeysWithValues: (response.json["items"] as? [[String: Any]] ?? []).map { ($0["plate"] as! String, $0) })
    }

    static func outstanding(_ number: String, _ app: TestApp) async throws -> Int? {
        try await app.get("/v1/admin/bills/\(number)", as: .finance).json["outstanding_fen"] as? Int
    }

    static func signInCode(in directory: String) throws -> String {
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasPrefix("sign-in-") && $0.hasSuffix(".txt") })
        let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
        return try #require(text.split(whereSeparator: { !$0.isNumber }).first { $0.count == 6 }.map(String.init))
    }
}
