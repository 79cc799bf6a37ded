import Crypto
import CurbsideCore
import CurbsidePayments
import Foundation
import Vapor

/// The acquirer that carries UnionPay, bank-card and ETC payments, on
/// loopback, by the acquirer protocol of docs/acquirer.md: orders placed,
/// queried and closed, refunds, each day's statement; every request's HMAC
/// checked with the shared secret of `channels`, every answer signed with it,
/// and a payment's notification signed and posted to the order's notify_url
/// (or lost on purpose).
public final class AcquirerSimulator: @unchecked Sendable {
    public struct Order: Sendable {
        public var paymentID: String
        public var channel: String
        public var amountFen: Int
        public var notifyURL: String
        public var status: AcquirerTrade.Status
        public var transactionID: String?
        /// When the payer paid, seconds.
        public var paidAt: Int64?
    }

    public let channels: PaymentChannelSimulator
    public private(set) var baseURL = ""
    /// Payments happen but their notifications never leave.
    @Locked public var losesNotifications = false
    /// Each refund's first request is answered 500 SYSTEM_ERROR.
    @Locked public var failsRefundsOnce = false
    /// Answers are signed with this secret instead of the shared one, to test that forged answers are refused.
    @Locked public var answerSigner: SymmetricKey? = nil
    /// The channel's clock, which signs its answers and notifications and dates payments.
    public let clock: @Sendable () -> Date

    /// Every notification is sent twice, as channels do when they did not hear (or trust) the first answer.
    public var repeatsNotifications: Bool {
        get { loopback.repeats }
        set { loopback.repeats = newValue }
    }

    public var notifyHost: String? {
        get { loopback.notifyHost }
        set { loopback.notifyHost = newValue }
    }

    private let lock = NSLock()
    private var orders: [String: Order] = [:]
    /// Refunds by our refund id.
    private var refunds: [String: (paymentID: String, fen: Int, acquirerID: String)] = [:]
    private var failedOnce: Set<String> = []
    private var refusedSignatures = 0
    private var sequence = 0
    private let loopback: LoopbackChannel

    public init(channels: PaymentChannelSimulator, clock: @escaping @Sendable () -> Date = Date.init) async throws {
        self.channels = channels
        self.clock = clock
        loopback = try await LoopbackChannel()
        let app = loopback.app
        app.post("orders") { [unowned self] request in self.checked(request) { try self.place(request) } }
        app.get("orders", ":id") { [unowned self] request in self.checked(request) { try self.query(request.parameters.get("id") ?? "") } }
        app.post("orders", ":id", "close") { [unowned self] request in self.checked(request) { self.close(request.parameters.get("id") ?? "") } }
        app.post("refunds") { [unowned self] request in self.checked(request) { try self.refund(request) } }
        app.get("refunds", ":id") { [unowned self] request in self.checked(request) { self.refundAnswer(request.parameters.get("id") ?? "") } }
        app.get("statements", ":day") { [unowned self] request in
            self.checked(request) { self.statement(request.parameters.get("day") ?? "", channel: request.query[String.self, at: "channel"] ?? "") }
        }
        loopback.payRoute { [unowned self] number in try await self.pay(number) }
        baseURL = try await loopback.start()
    }

    public func stop() async throws {
        try await loopback.stop()
    }

    public func order(_ paymentID: String) -> Order? { lock.withLock { orders[paymentID] } }
    /// What was refunded under our refund id.
    public func refunded(_ refundID: String) -> Int? { lock.withLock { refunds[refundID]?.fen } }
    /// Requests refused for their signature.
    public var refusedRequests: Int { lock.withLock { refusedSignatures } }

    /// The payer pays: the order succeeds and, unless notifications are being lost, its notification is posted.
    @discardableResult
    public func pay(_ paymentID: String) async throws -> String {
        let (order, transaction, lose): (Order, String, Bool) = try lock.withLock {
            guard var order = orders[paymentID], order.status == .pending else { throw SimulatorError("order \(paymentID) cannot be paid") }
            sequence += 1
            let transaction = String(format: "UP%020d", sequence)
            order.status = .success
            order.transactionID = transaction
            order.paidAt = clock().seconds
            orders[paymentID] = order
            return (order, transaction, losesNotifications)
        }
        guard !lose else { return transaction }
        let (headers, body) = channels.acquirer(payment: paymentID, transaction: transaction, fen: order.amountFen, at: clock().seconds)
        try await loopback.notify(order.notifyURL, contentType: "application/json", headers: headers, body: body)
        return transaction
    }

    /// Answers `answer()` once the request's signature verifies and is fresh.
    private func checked(_ request: Request, _ answer: () throws -> Response) -> Response {
        let body = request.body.data.map { Array(buffer: $0) } ?? []
        let timestamp = request.headers.first(name: "X-Acquirer-Timestamp") ?? ""
        let expected = AcquirerClient.requestSignature(
            timestamp: timestamp, method: request.method.rawValue, path: request.url.string, body: body, secret: channels.acquirerKey
        )
        guard let sent = Int64(timestamp), Freshness.within(300, sent: sent, now: clock().seconds),
              AcquirerCallback.same(expected, request.headers.first(name: "X-Acquirer-Signature") ?? "")
        else {
            lock.withLock { refusedSignatures += 1 }
            return refuse(.unauthorized, "SIGNATURE_INVALID", "The request's signature does not verify.")
        }
        do {
            return try answer()
        } catch {
            return refuse(.badRequest, "INVALID_REQUEST", "\(error)")
        }
    }

    private func place(_ request: Request) throws -> Response {
        struct Body: Decodable {
            var payment_id: String; var channel: String; var amount_fen: Int; var currency: String; var notify_url: String; var scene: String
        }
        let body = try JSONDecoder().decode(Body.self, from: Data(buffer: request.body.data ?? ByteBuffer()))
        guard (1...PaymentChannelSimulator.largestOrderFen).contains(body.amount_fen), body.currency == "CNY", ["unionpay", "bank_card", "etc"].contains(body.channel) else {
            return refuse(.badRequest, "INVALID_REQUEST", "amount_fen, currency or channel is not valid.")
        }
        let refusal: String? = lock.withLock {
            if let order = orders[body.payment_id] {
                guard order.status == .pending else { return "ORDER_\(order.status.rawValue)" }
                return order.amountFen == body.amount_fen ? nil : "ORDER_CONFLICT"
            }
            orders[body.payment_id] = Order(
                paymentID: body.payment_id, channel: body.channel, amountFen: body.amount_fen, notifyURL: body.notify_url, status: .pending
            )
            return nil
        }
        if let refusal { return refuse(.conflict, refusal, "The order exists otherwise.") }
        let pay = body.scene == "qr" ? #""qr_code":"https://qr.95516.com/00010000/\#(body.payment_id)""# : #""pay_url":"\#(baseURL)/cashier/\#(body.payment_id)""#
        return signed(.ok, #"{"payment_id":"\#(body.payment_id)",\#(pay)}"#)
    }

    private func query(_ id: String) throws -> Response {
        guard let order = order(id) else { return refuse(.notFound, "ORDER_NOT_FOUND", "No such order.") }
        let transaction = order.transactionID.map { #","transaction_id":"\#($0)""# } ?? ""
        return signed(.ok, #"{"payment_id":"\#(id)","status":"\#(order.status.rawValue)","amount_fen":\#(order.amountFen)\#(transaction)}"#)
    }

    private func close(_ id: String) -> Response {
        let refusal: (HTTPResponseStatus, String)? = lock.withLock {
            guard var order = orders[id] else { return (.notFound, "ORDER_NOT_FOUND") }
            guard order.status != .success else { return (.conflict, "ORDER_PAID") }
            order.status = .closed
            orders[id] = order
            return nil
        }
        if let refusal { return refuse(refusal.0, refusal.1, "The order cannot be closed.") }
        return signed(.ok, #"{"payment_id":"\#(id)","status":"CLOSED"}"#)
    }

    private func refund(_ request: Request) throws -> Response {
        struct Body: Decodable { var refund_id: String; var payment_id: String; var amount_fen: Int }
        let body = try JSONDecoder().decode(Body.self, from: Data(buffer: request.body.data ?? ByteBuffer()))
        let refusal: (HTTPResponseStatus, String)? = lock.withLock {
            if let done = refunds[body.refund_id] { return done.paymentID == body.payment_id && done.fen == body.amount_fen ? nil : (.conflict, "REFUND_CONFLICT") }
            guard let order = orders[body.payment_id], order.status == .success else { return (.conflict, "ORDER_NOT_PAID") }
            let refunded = refunds.values.filter { $0.paymentID == body.payment_id }.reduce(0) { $0 + $1.fen }
            // Subtracted, not added: a hostile amount must not overflow the simulator.
            guard body.amount_fen > 0, body.amount_fen <= order.amountFen - refunded else { return (.badRequest, "AMOUNT_EXCEEDS_PAID") }
            if failsRefundsOnce, !failedOnce.contains(body.refund_id) {
                failedOnce.insert(body.refund_id)
                return (.internalServerError, "SYSTEM_ERROR")
            }
            sequence += 1
            refunds[body.refund_id] = (body.payment_id, body.amount_fen, String(format: "UR%020d", sequence))
            return nil
        }
        if let refusal { return refuse(refusal.0, refusal.1, "The refund is not taken.") }
        return refundAnswer(body.refund_id)
    }

    private func refundAnswer(_ id: String) -> Response {
        guard let refund = lock.withLock({ refunds[id] }) else { return refuse(.notFound, "REFUND_NOT_FOUND", "No such refund.") }
        return signed(.ok, #"{"refund_id":"\#(id)","status":"SUCCESS","acquirer_refund_id":"\#(refund.acquirerID)"}"#)
    }

    private func statement(_ day: String, channel: String) -> Response {
        let rows = lock.withLock { orders.values.filter { $0.channel == channel }.compactMap(\.statementRow) }
        guard let statement = SimulatedStatement(day: day, all: rows) else { return refuse(.badRequest, "INVALID_REQUEST", "Not a day.") }
        guard !statement.rows.isEmpty else { return refuse(.notFound, "NO_STATEMENT", "No payments on \(day).") }
        return signed(.ok, statement.plain(), contentType: "text/csv; charset=utf-8")
    }

    private func refuse(_ status: HTTPResponseStatus, _ code: String, _ message: String) -> Response {
        Response(status: status, headers: ["Content-Type": "application/json"], body: .init(string: #"{"code":"\#(code)","message":"\#(message)"}"#))
    }

    private func signed(_ status: HTTPResponseStatus, _ body: String, contentType: String = "application/json") -> Response {
        let timestamp = String(clock().seconds)
        return Response(status: status, headers: [
            "Content-Type": contentType, "X-Acquirer-Timestamp": timestamp,
            "X-Acquirer-Signature": AcquirerCallback.signature(timestamp: timestamp, body: Array(body.utf8), secret: answerSigner ?? channels.acquirerKey),
        ], body: .init(string: body))
    }
}

extension AcquirerSimulator.Order {
    var statementRow: SimulatedStatement.Row? {
        guard let transactionID, let paidAt else { return nil }
        return .init(outTradeNo: paymentID, transactionID: transactionID, fen: amountFen, paidAt: paidAt)
    }
}
