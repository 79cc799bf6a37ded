import Crypto
import CryptoExtras
import CurbsideCore
import CurbsidePayments
import Foundation
import Vapor

/// WeChat Pay API v3 on loopback, as a merchant meets it: orders placed,
/// queried and closed over real HTTP, each request's merchant signature
/// checked, each answer signed with the platform key of `channels`, and a
/// payment's notification signed, encrypted and sent to the order's
/// notify_url; refunds, and each day's trade bill to download. Notifications
/// can be lost on purpose, to test recovery.
public final class WeChatPaySimulator: @unchecked Sendable {
    public struct Order: Sendable {
        public var outTradeNo: String
        public var appID: String
        public var kind: String
        public var amountFen: Int
        public var notifyURL: String
        public var state: WeChatPayTrade.State
        public var transactionID: String?
        /// When the payer paid, seconds.
        public var paidAt: Int64?
        /// The parking entry a parking service deduction charges.
        public var parkingID: String? = nil
    }

    public let channels: PaymentChannelSimulator
    public let merchantKey: _RSA.Signing.PublicKey
    public let merchantID: String
    public let serialNumber: String
    public private(set) var baseURL = ""
    /// Answers are signed with this key instead of the platform's, to test that forged answers are refused.
    @Locked public var answerSigner: _RSA.Signing.PrivateKey? = nil
    /// Payments happen but their notifications never leave, as when WeChat's callback is lost.
    @Locked public var losesNotifications = false

    /// A refund as the simulator keeps it.
    public struct Refund: Sendable {
        public var outRefundNo: String
        public var outTradeNo: String
        public var refundID: String
        public var fen: Int
        public var status: String
    }

    /// Each refund's first request is answered with a SYSTEM_ERROR, as when WeChat Pay is briefly unwell.
    @Locked public var failsRefundsOnce = false

    /// A simulated phone: every order placed is paid this long after, as a payer who scans at once would.
    @Locked public var paysAfter: Duration? = nil

    /// Every answer waits this long first, as a slow channel's do.
    @Locked public var answerDelay: Duration = .zero

    /// The parking service: plates opened for it, parked cars entered, accounts that cannot pay.
    public let parking = SimulatedParkingService()

    /// E-invoices applied for, and the faults a test asks of them.
    public let invoicing = SimulatedInvoicing()

    /// Trade bills are answered STATEMENT_CREATING, as before about 10:00 the next day.
    @Locked public var holdsStatements = false

    /// Downloaded bills arrive with a byte changed, as a damaged transfer would bring them.
    @Locked public var damagesStatements = false

    /// The channel's clock, which signs its answers and notifications.
    public let clock: @Sendable () -> Date

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
    var orders: [String: Order] = [:]
    private var refunds: [String: Refund] = [:]
    private var failedOnce: Set<String> = []
    /// Trade bills offered for download, by token.
    private var bills: [String: [UInt8]] = [:]
    private var refusedSignatures = 0
    var sequence = 0
    let loopback: LoopbackChannel

    public init(
        channels: PaymentChannelSimulator, merchantKey: _RSA.Signing.PublicKey, merchantID: String, serialNumber: String,
        clock: @escaping @Sendable () -> Date = Date.init
    ) async throws {
        self.channels = channels
        self.clock = clock
        self.merchantKey = merchantKey
        self.merchantID = merchantID
        self.serialNumber = serialNumber
        loopback = try await LoopbackChannel()
        routes(loopback.app)
        baseURL = try await loopback.start()
    }

    public func stop() async throws {
        try await loopback.stop()
    }

    public func order(_ outTradeNo: String) -> Order? { lock.withLock { orders[outTradeNo] } }
    public func refund(_ outRefundNo: String) -> Refund? { lock.withLock { refunds[outRefundNo] } }
    /// Requests refused for their merchant signature.
    public var refusedRequests: Int { lock.withLock { refusedSignatures } }

    /// The payer pays: the order succeeds and, unless notifications are being lost, its notification is sent.
    /// `racingClose` pays an order just closed, as when the payer's payment and the merchant's close cross in
    /// WeChat Pay: its notification comes after the close.
    @discardableResult
    public func pay(_ outTradeNo: String, racingClose: Bool = false) async throws -> String {
        let (order, transaction, lose): (Order, String, Bool) = try lock.withLock {
            guard var order = orders[outTradeNo], order.state == .notPaid || (racingClose && order.state == .closed) else {
                throw SimulatorError("order \(outTradeNo) cannot be paid")
            }
            sequence += 1
            let transaction = String(format: "4200%018d", sequence)
            order.state = .success
            order.transactionID = transaction
            order.paidAt = clock().seconds
            orders[outTradeNo] = order
            return (order, transaction, losesNotifications)
        }
        guard !lose else { return transaction }
        let (headers, body) = try channels.weChat(payment: outTradeNo, transaction: transaction, fen: order.amountFen, at: clock().seconds)
        try await loopback.notify(order.notifyURL, contentType: "application/json", headers: headers, body: body)
        return transaction
    }

    private func routes(_ app: Application) {
        loopback.payRoute { [unowned self] number in try await self.pay(number) }
        for kind in ["native", "jsapi", "h5"] {
            app.post("v3", "pay", "transactions", .constant(kind)) { [unowned self] request async throws -> Response in
                try await self.slowly { try self.place(request, kind: kind) }
            }
        }
        app.get("v3", "pay", "transactions", "out-trade-no", ":number") { [unowned self] request async throws -> Response in
            try await self.slowly { try self.query(request) }
        }
        app.post("v3", "pay", "transactions", "out-trade-no", ":number", "close") { [unowned self] request async throws -> Response in
            try await self.slowly { try self.close(request) }
        }
        app.post("v3", "refund", "domestic", "refunds") { [unowned self] request async throws -> Response in
            try await self.slowly { try self.refund(request) }
        }
        app.get("v3", "refund", "domestic", "refunds", ":number") { [unowned self] request async throws -> Response in
            try await self.slowly { try self.refundQuery(request) }
        }
        app.get("v3", "bill", "tradebill") { [unowned self] request async throws -> Response in
            try await self.slowly { self.tradeBill(request) }
        }
        app.get("v3", "billdownload", "file") { [unowned self] request async throws -> Response in
            try await self.slowly { self.download(request) }
        }
        parkingRoutes(app)
        fapiaoRoutes(app)
    }

    /// 申请交易账单: the SUCCESS bill of a day, offered for download with its SHA1.
    private func tradeBill(_ request: Request) -> Response {
        if let refusal = checkSignature(request) { return refusal }
        let (rows, appID) = lock.withLock { (orders.values.compactMap(\.statementRow), orders.values.first?.appID ?? "") }
        guard request.query[String.self, at: "bill_type"] == "SUCCESS", let day = request.query[String.self, at: "bill_date"],
              let statement = SimulatedStatement(day: day, all: rows)
        else { return refuse(.badRequest, "PARAM_ERROR", "bill_date is not a date, or bill_type is not SUCCESS.") }
        guard !holdsStatements else { return refuse(.badRequest, "STATEMENT_CREATING", "账单生成中") }
        guard !statement.rows.isEmpty else { return refuse(.badRequest, "NO_STATEMENT_EXIST", "No statement for \(day).") }
        let file = Array(statement.weChat(appID: appID, merchantID: merchantID).utf8)
        let token = WeChatPayMerchant.nonce()
        lock.withLock { bills[token] = file }
        let hash = Insecure.SHA1.hash(data: file).map { String(format: "%02x", $0) }.joined()
        return signed(.ok, #"{"hash_type":"SHA1","hash_value":"\#(hash)","download_url":"\#(baseURL)/v3/billdownload/file?token=\#(token)"}"#)
    }

    /// 下载账单: the file itself, not signed (its SHA1 came in the signed answer).
    private func download(_ request: Request) -> Response {
        if let refusal = checkSignature(request) { return refusal }
        guard var file = lock.withLock({ bills[request.query[String.self, at: "token"] ?? ""] }) else {
            return refuse(.notFound, "RESOURCE_NOT_EXISTS", "No such bill.")
        }
        if damagesStatements, !file.isEmpty { file[file.count / 2] ^= 0x01 }
        return Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .init(data: Data(file)))
    }

    func slowly(_ answer: () throws -> Response) async throws -> Response {
        let wait = answerDelay
        if wait > .zero { try await Task.sleep(for: wait) }
        return try answer()
    }

    /// 申请退款: taken as PROCESSING, finished at once, and notified (unless notifications are being lost);
    /// asking again with the same out_refund_no answers the same refund.
    private func refund(_ request: Request) throws -> Response {
        if let refusal = checkSignature(request) { return refusal }
        struct Body: Decodable {
            struct Amount: Decodable { var refund: Int; var total: Int; var currency: String }
            var out_trade_no: String; var out_refund_no: String; var notify_url: String?; var amount: Amount
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(buffer: request.body.data ?? ByteBuffer())), body.amount.refund > 0,
              body.amount.currency == "CNY"
        else { return refuse(.badRequest, "PARAM_ERROR", "The refund's parameters are not valid.") }
        enum Outcome { case refused(HTTPResponseStatus, String, String), taken(Refund, isNew: Bool, notify: String?, total: Int) }
        let outcome: Outcome = lock.withLock {
            if let existing = refunds[body.out_refund_no] {
                return .taken(existing, isNew: false, notify: nil, total: body.amount.total)
            }
            guard var order = orders[body.out_trade_no], order.state == .success || order.state == .refund else {
                return .refused(.badRequest, "RESOURCE_NOT_EXISTS", "No paid order \(body.out_trade_no).")
            }
            guard body.amount.total == order.amountFen else { return .refused(.badRequest, "PARAM_ERROR", "amount.total is not the order's.") }
            let refunded = refunds.values.filter { $0.outTradeNo == body.out_trade_no }.reduce(0) { $0 + $1.fen }
            // Subtracted, not added: a hostile amount must not overflow the simulator.
            guard body.amount.refund <= order.amountFen - refunded else { return .refused(.badRequest, "INVALID_REQUEST", "More than the order's amount.") }
            if failsRefundsOnce, !failedOnce.contains(body.out_refund_no) {
                failedOnce.insert(body.out_refund_no)
                return .refused(.internalServerError, "SYSTEM_ERROR", "System busy, try again.")
            }
            sequence += 1
            let refund = Refund(
                outRefundNo: body.out_refund_no, outTradeNo: body.out_trade_no, refundID: String(format: "5030%018d", sequence), fen: body.amount.refund,
                status: "SUCCESS"
            )
            refunds[body.out_refund_no] = refund
            order.state = .refund
            orders[body.out_trade_no] = order
            return .taken(refund, isNew: true, notify: losesNotifications ? nil : body.notify_url, total: order.amountFen)
        }
        switch outcome {
        case let .refused(status, code, message):
            return refuse(status, code, message)
        case let .taken(refund, isNew, notify, total):
            if isNew, let notify {
                let notification = try channels.weChatRefund(
                    payment: refund.outTradeNo, refund: refund.outRefundNo, refundID: refund.refundID, status: refund.status, refundFen: refund.fen,
                    totalFen: total, at: clock().seconds
                )
                let loopback = loopback
                Task { try? await loopback.notify(notify, contentType: "application/json", headers: notification.headers, body: notification.body) }
            }
            return signed(.ok, Self.refundJSON(refund, status: isNew ? "PROCESSING" : refund.status))
        }
    }

    private func refundQuery(_ request: Request) throws -> Response {
        if let refusal = checkSignature(request) { return refusal }
        guard let refund = refund(request.parameters.get("number") ?? "") else { return refuse(.notFound, "RESOURCE_NOT_EXISTS", "No such refund.") }
        return signed(.ok, Self.refundJSON(refund, status: refund.status))
    }

    private static func refundJSON(_ refund: Refund, status: String) -> String {
        #"{"refund_id":"\#(refund.refundID)","out_refund_no":"\#(refund.outRefundNo)","out_trade_no":"\#(refund.outTradeNo)","status":"\#(status)","amount":{"refund":\#(refund.fen),"currency":"CNY"}}"#
    }

    private func place(_ request: Request, kind: String) throws -> Response {
        if let refusal = checkSignature(request) { return refusal }
        struct Body: Decodable {
            struct Amount: Decodable { var total: Int; var currency: String? }
            var appid: String; var mchid: String; var description: String; var out_trade_no: String; var notify_url: String; var amount: Amount
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(buffer: request.body.data ?? ByteBuffer())), body.mchid == merchantID,
              (1...PaymentChannelSimulator.largestOrderFen).contains(body.amount.total)
        else { return refuse(.badRequest, "PARAM_ERROR", "The order's parameters are not valid.") }
        let existing: Order? = lock.withLock {
            if let order = orders[body.out_trade_no] { return order }
            orders[body.out_trade_no] = Order(
                outTradeNo: body.out_trade_no, appID: body.appid, kind: kind, amountFen: body.amount.total, notifyURL: body.notify_url, state: .notPaid
            )
            return nil
        }
        if let existing {
            guard existing.state == .notPaid else { return refuse(.badRequest, existing.state == .closed ? "ORDER_CLOSED" : "ORDERPAID", "The order is \(existing.state.rawValue).") }
            guard existing.amountFen == body.amount.total, existing.kind == kind else { return refuse(.badRequest, "INVALID_REQUEST", "out_trade_no was used with other parameters.") }
        }
        if existing == nil, let after = paysAfter {
            let number = body.out_trade_no
            Task { [weak self] in
                try? await Task.sleep(for: after)
                _ = try? await self?.pay(number)
            }
        }
        let answer: String = switch kind {
        case "native": #"{"code_url":"weixin://wxpay/bizpayurl?pr=\#(body.out_trade_no)"}"#
        case "jsapi": #"{"prepay_id":"wx\#(body.out_trade_no)"}"#
        default: #"{"h5_url":"https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx\#(body.out_trade_no)"}"#
        }
        return signed(.ok, answer)
    }

    private func query(_ request: Request) throws -> Response {
        if let refusal = checkSignature(request) { return refusal }
        guard request.query[String.self, at: "mchid"] == merchantID else { return refuse(.badRequest, "PARAM_ERROR", "mchid is missing or wrong.") }
        let number = request.parameters.get("number") ?? ""
        guard let order = lock.withLock({ orders[number] }) else { return refuse(.notFound, "ORDER_NOT_EXIST", "No such order.") }
        var fields = [
            #""appid":"\#(order.appID)""#, #""mchid":"\#(merchantID)""#, #""out_trade_no":"\#(order.outTradeNo)""#,
            #""trade_state":"\#(order.state.rawValue)""#, #""trade_state_desc":"\#(order.state.rawValue)""#,
            #""amount":{"total":\#(order.amountFen),"currency":"CNY"}"#,
        ]
        if let transaction = order.transactionID {
            fields.append(#""transaction_id":"\#(transaction)""#)
            fields.append(#""success_time":"2026-12-02T12:00:00+08:00""#)
        }
        return signed(.ok, "{" + fields.joined(separator: ",") + "}")
    }

    private func close(_ request: Request) throws -> Response {
        if let refusal = checkSignature(request) { return refusal }
        let number = request.parameters.get("number") ?? ""
        let outcome: Response? = lock.withLock {
            guard var order = orders[number] else { return refuse(.notFound, "ORDER_NOT_EXIST", "No such order.") }
            guard order.state != .success else { return refuse(.badRequest, "ORDERPAID", "The order is paid.") }
            order.state = .closed
            orders[number] = order
            return nil
        }
        return outcome ?? signed(.noContent, "")
    }

    /// Checks `WECHATPAY2-SHA256-RSA2048 mchid=...,nonce_str=...,signature=...,timestamp=...,serial_no=...`.
    func checkSignature(_ request: Request) -> Response? {
        let header = request.headers.first(name: .authorization) ?? ""
        let scheme = "WECHATPAY2-SHA256-RSA2048 "
        var fields: [String: String] = [:]
        if header.hasPrefix(scheme) {
            for part in header.dropFirst(scheme.count).split(separator: ",") {
                guard let equals = part.firstIndex(of: "=") else { continue }
                fields[String(part[..<equals])] = String(part[part.index(after: equals)...]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        let body = request.body.data.map { Array(buffer: $0) } ?? []
        guard fields["mchid"] == merchantID, fields["serial_no"] == serialNumber, let timestamp = fields["timestamp"], let nonce = fields["nonce_str"],
              let sent = Int64(timestamp), Freshness.within(300, sent: sent, now: clock().seconds),
              let signature = fields["signature"].flatMap({ Data(base64Encoded: $0) }),
              merchantKey.isValidSignature(
                  _RSA.Signing.RSASignature(rawRepresentation: signature),
                  for: SHA256.hash(data: WeChatPayMerchant.requestMessage(
                      method: request.method.rawValue, url: request.url.string, timestamp: timestamp, nonce: nonce, body: body
                  )),
                  padding: .insecurePKCS1v1_5
              )
        else {
            lock.withLock { refusedSignatures += 1 }
            return refuse(.unauthorized, "SIGN_ERROR", "The request's signature does not verify.")
        }
        return nil
    }

    /// Refusals carry no signature, as WeChat Pay's do not always.
    func refuse(_ status: HTTPResponseStatus, _ code: String, _ message: String) -> Response {
        Response(status: status, headers: ["Content-Type": "application/json"], body: .init(string: #"{"code":"\#(code)","message":"\#(message)"}"#))
    }

    func signed(_ status: HTTPResponseStatus, _ body: String) -> Response {
        let timestamp = String(clock().seconds)
        let nonce = WeChatPayMerchant.nonce()
        let key = answerSigner ?? channels.weChatKey
        let signature = (try? key.signature(
            for: SHA256.hash(data: WeChatPayV3.message(timestamp: timestamp, nonce: nonce, body: Array(body.utf8))), padding: .insecurePKCS1v1_5
        ).rawRepresentation.base64EncodedString()) ?? ""
        var headers: HTTPHeaders = [
            "Wechatpay-Timestamp": timestamp, "Wechatpay-Nonce": nonce, "Wechatpay-Signature": signature, "Wechatpay-Serial": "5157F09EFDC096DE15EBE81A47057A72",
        ]
        if !body.isEmpty { headers.add(name: .contentType, value: "application/json") }
        return Response(status: status, headers: headers, body: .init(string: body))
    }
}

extension WeChatPaySimulator.Order {
    var statementRow: SimulatedStatement.Row? {
        guard let transactionID, let paidAt else { return nil }
        return .init(outTradeNo: outTradeNo, transactionID: transactionID, fen: amountFen, paidAt: paidAt)
    }
}
