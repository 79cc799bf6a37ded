import Crypto
import CryptoExtras
import CurbsideCore
import CurbsidePayments
import Foundation
import Vapor

/// Alipay's open platform gateway on loopback: precreate, wap pay, query
/// and close over real HTTP, each call's RSA2 signature checked with our
/// application's public key, each answer signed with the Alipay key of
/// `channels`, and a payment's notification signed and posted to the
/// trade's notify_url (or lost on purpose); refunds, and each day's statement
/// as a zip of GBK files to download.
public final class AlipaySimulator: @unchecked Sendable {
    public struct Trade: Sendable {
        public var outTradeNo: String
        public var method: String
        public var amountFen: Int
        public var notifyURL: String
        public var status: AlipayTrade.Status
        public var tradeNo: String?
        /// When the payer paid, seconds.
        public var paidAt: Int64?
    }

    /// Our account at Alipay (PID), which names the statement files.
    public static let account = "20880000000000000156"
    /// Our road-side lot as Alipay's parking platform registered it.
    public static let parkingID = "PI1604029475000021001"

    /// Alipay's parking platform: signed agreements, cars by car_id, stays, accounts that cannot pay.
    public let parking = SimulatedAlipayParking()

    public let channels: PaymentChannelSimulator
    public let merchantKey: _RSA.Signing.PublicKey
    public private(set) var gatewayURL = ""
    /// Answers signed with this key instead of Alipay's, to test that forged answers are refused.
    @Locked public var answerSigner: _RSA.Signing.PrivateKey? = nil
    @Locked public var losesNotifications = false

    /// Each refund's first request is answered 20000 (service unavailable), as when Alipay is briefly unwell.
    @Locked public var failsRefundsOnce = false

    /// Statements are refused as Alipay refuses when busy (20000, isp.unknow-error).
    @Locked public var holdsStatements = false

    /// A simulated phone: every order placed is paid this long after, as a payer who scans at once would.
    @Locked public var paysAfter: Duration? = nil

    /// Every answer waits this long first, as a slow channel's do.
    @Locked public var answerDelay: Duration = .zero

    /// Deliver notifications to this `http://host:port` instead of the notify_url's own, keeping its path,
    /// as a proxy in front of the server would.
    /// Every notification is sent twice, as channels do when they did not hear (or trust) the first answer.
    public var repeatsNotifications: Bool {
        get { loopback.repeats }
        set { loopback.repeats = newValue }
    }

    public var notifyHost: String? {
        get { loopback.notifyHost }
        set { loopback.notifyHost = newValue }
    }

    let lock = NSLock()
    var trades: [String: Trade] = [:]
    /// Refunds by out_request_no: the trade and the amount.
    private var refunds: [String: (outTradeNo: String, fen: Int)] = [:]
    private var failedOnce: Set<String> = []
    /// Statement zips offered for download, by token.
    private var bills: [String: [UInt8]] = [:]
    private var refusedSignatures = 0
    var sequence = 0
    private let loopback: LoopbackChannel

    /// The channel's clock, which dates payments.
    public let clock: @Sendable () -> Date

    public init(channels: PaymentChannelSimulator, merchantKey: _RSA.Signing.PublicKey, clock: @escaping @Sendable () -> Date = Date.init) async throws {
        self.channels = channels
        self.merchantKey = merchantKey
        self.clock = clock
        loopback = try await LoopbackChannel()
        loopback.app.post("gateway.do") { [unowned self] request async throws -> Response in
            // The gateway takes parameters from the query string and the form alike: Alipay's own SDKs send the
            // common ones (app_id, method, sign, ...) in the query and biz_content in the body.
            let query = (try? request.query.decode([String: String].self)) ?? [:]
            let parameters = try request.content.decode([String: String].self, as: .urlEncodedForm).merging(query) { form, _ in form }
            return try await self.slowly { self.handle(parameters) }
        }
        loopback.payRoute { [unowned self] number in try await self.pay(number) }
        loopback.app.get("gateway.do") { [unowned self] request async throws -> Response in
            let parameters = try request.query.decode([String: String].self)
            return try await self.slowly { self.handle(parameters) }
        }
        // `POST /simulator/parking/sign?car_number=` and `/simulator/parking/vehicle?car_id=&car_number=`: the owner signs the
        // parking deduction, or adds the car in Alipay's car-owner pages, for a tool under test.
        loopback.app.post("simulator", "parking", "sign") { [unowned self] request -> Response in
            guard let plate = request.query[String.self, at: "car_number"] else { return Response(status: .badRequest) }
            self.parking.sign(plate: plate)
            return Response(status: .noContent)
        }
        loopback.app.post("simulator", "parking", "vehicle") { [unowned self] request -> Response in
            guard let carID = request.query[String.self, at: "car_id"], let plate = request.query[String.self, at: "car_number"] else { return Response(status: .badRequest) }
            self.parking.addVehicle(carID: carID, plate: plate)
            return Response(status: .noContent)
        }
        loopback.app.get("downloadBillFile.resource") { [unowned self] request async throws -> Response in
            try await self.slowly { self.download(request) }
        }
        gatewayURL = try await loopback.start() + "/gateway.do"
    }

    public func stop() async throws {
        try await loopback.stop()
    }

    public func trade(_ outTradeNo: String) -> Trade? { lock.withLock { trades[outTradeNo] } }
    /// What was refunded under `outRequestNo`.
    public func refunded(_ outRequestNo: String) -> Int? { lock.withLock { refunds[outRequestNo]?.fen } }

    private func slowly(_ answer: () -> Response) async throws -> Response {
        let wait = answerDelay
        if wait > .zero { try await Task.sleep(for: wait) }
        return answer()
    }
    public var refusedRequests: Int { lock.withLock { refusedSignatures } }

    /// The payer pays: the trade succeeds and, unless notifications are being lost, its notification is posted.
    @discardableResult
    public func pay(_ outTradeNo: String) async throws -> String {
        let (trade, number, lose): (Trade, String, Bool) = try lock.withLock {
            guard var trade = trades[outTradeNo], trade.status == .waiting else { throw SimulatorError("trade \(outTradeNo) cannot be paid") }
            sequence += 1
            let number = String(format: "2026120222001%015d", sequence)
            trade.status = .success
            trade.tradeNo = number
            trade.paidAt = clock().seconds
            trades[outTradeNo] = trade
            return (trade, number, losesNotifications)
        }
        guard !lose else { return number }
        let body = try channels.alipay(payment: outTradeNo, transaction: number, yuan: Money.yuan(trade.amountFen))
        try await loopback.notify(trade.notifyURL, contentType: "application/x-www-form-urlencoded; charset=utf-8", body: body)
        return number
    }

    private func handle(_ parameters: [String: String]) -> Response {
        let method = parameters["method"] ?? ""
        guard parameters["sign_type"] == "RSA2", parameters["app_id"] == channels.alipayAppID,
              let signature = parameters["sign"].flatMap({ Data(base64Encoded: $0) }),
              merchantKey.isValidSignature(
                  _RSA.Signing.RSASignature(rawRepresentation: signature),
                  for: SHA256.hash(data: Data(AlipayMerchant.requestCanonical(parameters).utf8)), padding: .insecurePKCS1v1_5
              )
        else {
            lock.withLock { refusedSignatures += 1 }
            return json(#"{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature","sub_msg":"验签出错"}}"#)
        }
        if method == "alipay.data.dataservice.bill.downloadurl.query" { return billURL(parameters) }
        if method.hasPrefix("alipay.eco.mycar.parking.") {
            let biz = parameters["biz_content"].flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? [:]
            return parkingCall(method, biz)
        }
        struct Biz: Decodable {
            var out_trade_no: String; var total_amount: String?; var subject: String?; var out_request_no: String?; var refund_amount: String?
        }
        guard let biz = parameters["biz_content"].flatMap({ try? JSONDecoder().decode(Biz.self, from: Data($0.utf8)) }) else {
            return answer(method, #"{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-parameter","sub_msg":"biz_content"}"#)
        }
        switch method {
        case "alipay.trade.precreate", "alipay.trade.wap.pay":
            guard let fen = biz.total_amount.flatMap(Money.fen(fromYuan:)), (1...PaymentChannelSimulator.largestOrderFen).contains(fen), let notifyURL = parameters["notify_url"] else {
                return answer(method, #"{"code":"40004","msg":"Business Failed","sub_code":"ACQ.INVALID_PARAMETER","sub_msg":"total_amount"}"#)
            }
            let refusal: String? = lock.withLock {
                if let trade = trades[biz.out_trade_no] {
                    guard trade.status == .waiting else { return "ACQ.TRADE_HAS_SUCCESS" }
                    return trade.amountFen == fen ? nil : "ACQ.CONTEXT_INCONSISTENT"
                }
                trades[biz.out_trade_no] = Trade(outTradeNo: biz.out_trade_no, method: method, amountFen: fen, notifyURL: notifyURL, status: .waiting)
                return nil
            }
            if let refusal { return answer(method, #"{"code":"40004","msg":"Business Failed","sub_code":"\#(refusal)","sub_msg":"\#(refusal)"}"#) }
            if refusal == nil, let after = paysAfter {
                let number = biz.out_trade_no
                Task { [weak self] in
                    try? await Task.sleep(for: after)
                    _ = try? await self?.pay(number)
                }
            }
            if method == "alipay.trade.wap.pay" {
                return Response(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(string: "<!doctype html><title>支付宝</title><p>\(biz.out_trade_no)</p>"))
            }
            return answer(method, #"{"code":"10000","msg":"Success","out_trade_no":"\#(biz.out_trade_no)","qr_code":"https://qr.alipay.com/bax0\#(biz.out_trade_no)"}"#)
        case "alipay.trade.query":
            guard let trade = trade(biz.out_trade_no) else {
                return answer(method, #"{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"}"#)
            }
            let number = trade.tradeNo.map { #","trade_no":"\#($0)""# } ?? ""
            return answer(method, #"{"code":"10000","msg":"Success","out_trade_no":"\#(trade.outTradeNo)","trade_status":"\#(trade.status.rawValue)","total_amount":"\#(Money.yuan(trade.amountFen))"\#(number)}"#)
        case "alipay.trade.close":
            let refusal: String? = lock.withLock {
                guard var trade = trades[biz.out_trade_no] else { return "ACQ.TRADE_NOT_EXIST" }
                guard trade.status == .waiting || trade.status == .closed else { return "ACQ.TRADE_STATUS_ERROR" }
                trade.status = .closed
                trades[biz.out_trade_no] = trade
                return nil
            }
            if let refusal { return answer(method, #"{"code":"40004","msg":"Business Failed","sub_code":"\#(refusal)","sub_msg":"\#(refusal)"}"#) }
            return answer(method, #"{"code":"10000","msg":"Success","out_trade_no":"\#(biz.out_trade_no)"}"#)
        case "alipay.trade.refund":
            guard let number = biz.out_request_no, let fen = biz.refund_amount.flatMap(Money.fen(fromYuan:)), fen > 0 else {
                return answer(method, #"{"code":"40004","msg":"Business Failed","sub_code":"ACQ.INVALID_PARAMETER","sub_msg":"refund_amount"}"#)
            }
            let refusal: (code: String, sub: String)? = lock.withLock {
                if let done = refunds[number] { return done.outTradeNo == biz.out_trade_no && done.fen == fen ? nil : ("40004", "ACQ.REQUEST_AMOUNT_EXCEED") }
                guard let trade = trades[biz.out_trade_no], trade.status == .success else { return ("40004", "ACQ.TRADE_STATUS_ERROR") }
                let refunded = refunds.values.filter { $0.outTradeNo == biz.out_trade_no }.reduce(0) { $0 + $1.fen }
                // Subtracted, not added: a hostile amount must not overflow the simulator.
                guard fen <= trade.amountFen - refunded else { return ("40004", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL") }
                if failsRefundsOnce, !failedOnce.contains(number) {
                    failedOnce.insert(number)
                    return ("20000", "aop.ACQ.SYSTEM_ERROR")
                }
                refunds[number] = (biz.out_trade_no, fen)
                return nil
            }
            if let refusal {
                return answer(method, #"{"code":"\#(refusal.code)","msg":"Business Failed","sub_code":"\#(refusal.sub)","sub_msg":"\#(refusal.sub)"}"#)
            }
            let tradeNo = trade(biz.out_trade_no)?.tradeNo ?? ""
            return answer(method, #"{"code":"10000","msg":"Success","out_trade_no":"\#(biz.out_trade_no)","trade_no":"\#(tradeNo)","fund_change":"Y","refund_fee":"\#(Money.yuan(fen))"}"#)
        default:
            return json(#"{"error_response":{"code":"40004","msg":"Business Failed","sub_code":"isv.invalid-method","sub_msg":"\#(method)"}}"#)
        }
    }

    /// alipay.data.dataservice.bill.downloadurl.query: where to download a day's trade statement.
    private func billURL(_ parameters: [String: String]) -> Response {
        let method = "alipay.data.dataservice.bill.downloadurl.query"
        struct Biz: Decodable { var bill_type: String; var bill_date: String }
        guard let biz = parameters["biz_content"].flatMap({ try? JSONDecoder().decode(Biz.self, from: Data($0.utf8)) }), biz.bill_type == "trade",
              let statement = SimulatedStatement(day: biz.bill_date, all: lock.withLock({ trades.values.compactMap(\.statementRow) }))
        else { return answer(method, #"{"code":"40004","msg":"Business Failed","sub_code":"isv.invalid-parameter","sub_msg":"bill_type or bill_date"}"#) }
        guard !holdsStatements else { return answer(method, #"{"code":"20000","msg":"Service Currently Unavailable","sub_code":"isp.unknow-error","sub_msg":"系统繁忙"}"#) }
        guard !statement.rows.isEmpty else { return answer(method, #"{"code":"40004","msg":"Business Failed","sub_code":"isp.bill_not_exist","sub_msg":"账单不存在"}"#) }
        let token = UUID().uuidString
        lock.withLock { bills[token] = statement.alipayZip(account: Self.account) }
        let base = gatewayURL.replacingOccurrences(of: "/gateway.do", with: "")
        let compact = biz.bill_date.replacingOccurrences(of: "-", with: "")
        return answer(method, #"{"code":"10000","msg":"Success","bill_download_url":"\#(base)/downloadBillFile.resource?bizType=trade&userId=\#(Self.account)&fileType=csv.zip&bizDates=\#(compact)&token=\#(token)"}"#)
    }

    /// The statement zip; its token is the only key.
    private func download(_ request: Request) -> Response {
        guard let zip = lock.withLock({ bills[request.query[String.self, at: "token"] ?? ""] }) else {
            return Response(status: .notFound, body: .init(string: "no such file"))
        }
        return Response(status: .ok, headers: ["Content-Type": "application/zip"], body: .init(data: Data(zip)))
    }

    /// `{"<method>_response":<member>,"sign":"..."}`, the member signed as written.
    func answer(_ method: String, _ member: String) -> Response {
        let key = answerSigner ?? channels.alipayKey
        let signature = (try? key.signature(for: SHA256.hash(data: Data(member.utf8)), padding: .insecurePKCS1v1_5).rawRepresentation.base64EncodedString()) ?? ""
        return json(#"{"\#(method.replacingOccurrences(of: ".", with: "_"))_response":\#(member),"sign":"\#(signature)"}"#)
    }

    func json(_ text: String) -> Response {
        Response(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: .init(string: text))
    }
}

extension AlipaySimulator.Trade {
    var statementRow: SimulatedStatement.Row? {
        guard let tradeNo, let paidAt else { return nil }
        return .init(outTradeNo: outTradeNo, transactionID: tradeNo, fen: amountFen, paidAt: paidAt)
    }
}
