import AsyncHTTPClient
import Crypto
import CurbsideCore
import Foundation
import NIOCore
import NIOHTTP1

/// Calls the acquirer that carries UnionPay, bank-card and ETC payments, by
/// the acquirer protocol in docs/acquirer.md: JSON over HTTPS, each request
/// signed with the shared secret as HMAC-SHA256 of
/// "timestamp.METHOD path.body", each answer as its notifications are, of
/// "timestamp.body", and believed only once that verifies and is fresh.
public struct AcquirerClient: Sendable {
    public let baseURL: String
    let secret: SymmetricKey
    let http: HTTPClient
    /// How long a call may take, connecting included, before it is given up as unanswered.
    let timeout: TimeAmount
    let clock: @Sendable () -> Date

    public init(baseURL: String, secret: SymmetricKey, http: HTTPClient, timeout: TimeAmount = .seconds(10), clock: @escaping @Sendable () -> Date = Date.init) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.secret = secret
        self.http = http
        self.timeout = timeout
        self.clock = clock
    }

    /// The signature of a request: the method and path (with its query) bind it to what it asks.
    public static func requestSignature(timestamp: String, method: String, path: String, body: [UInt8], secret: SymmetricKey) -> String {
        AcquirerCallback.signature(timestamp: timestamp, body: Array("\(method) \(path).".utf8) + body, secret: secret)
    }

    /// Places the order and returns what the payer pays with.
    public func place(_ order: AcquirerOrder) async throws(AcquirerError) -> AcquirerPrepay {
        struct Answer: Decodable { var payment_id: String; var qr_code: String?; var pay_url: String? }
        let answer: Answer = try await call("POST", "/orders", json: [
            "payment_id": order.paymentID, "channel": order.channel.rawValue, "subject": order.subject, "amount_fen": order.amountFen, "currency": "CNY",
            "notify_url": order.notifyURL, "return_url": order.returnURL, "expires_at": ChannelText.rfc3339(order.expiresAt), "scene": order.scene.rawValue,
        ])
        guard answer.payment_id == order.paymentID else { throw .malformedAnswer("the answer is about \(answer.payment_id), not \(order.paymentID)") }
        if let code = answer.qr_code { return .qr(code) }
        if let url = answer.pay_url { return .page(url) }
        throw .malformedAnswer("neither qr_code nor pay_url in the order's answer")
    }

    /// The order as the acquirer has it now.
    public func query(paymentID: String) async throws(AcquirerError) -> AcquirerTrade {
        struct Answer: Decodable { var payment_id: String; var status: String; var transaction_id: String?; var amount_fen: Int }
        let answer: Answer = try await call("GET", "/orders/\(ChannelText.escaped(paymentID))", json: nil)
        guard answer.payment_id == paymentID else { throw .malformedAnswer("the answer is about \(answer.payment_id), not \(paymentID)") }
        guard let status = AcquirerTrade.Status(rawValue: answer.status) else { throw .malformedAnswer("unknown status \(answer.status)") }
        return AcquirerTrade(paymentID: paymentID, status: status, transactionID: answer.transaction_id, amountFen: answer.amount_fen)
    }

    /// Closes an unpaid order, so it can no longer be paid.
    public func close(paymentID: String) async throws(AcquirerError) {
        struct Answer: Decodable { var payment_id: String; var status: String }
        let _: Answer = try await call("POST", "/orders/\(ChannelText.escaped(paymentID))/close", json: [:])
    }

    /// Asks for a refund of part or all of a payment; asking again with the same refund id is the same refund.
    public func refund(refundID: String, paymentID: String, fen: Int, reason: String) async throws(AcquirerError) -> ChannelRefundReport {
        try Self.report(try await call("POST", "/refunds", json: ["refund_id": refundID, "payment_id": paymentID, "amount_fen": fen, "reason": reason]), refundID)
    }

    /// A refund as the acquirer has it now.
    public func refund(refundID: String) async throws(AcquirerError) -> ChannelRefundReport {
        try Self.report(try await call("GET", "/refunds/\(ChannelText.escaped(refundID))", json: nil), refundID)
    }

    /// The day's statement of one channel's payments (CSV: payment_id, transaction_id, amount in yuan); nil when
    /// the acquirer has none because none were made (`NO_STATEMENT`).
    public func statement(day: String, channel: PaymentChannel) async throws(AcquirerError) -> String? {
        do {
            let path = "/statements/\(ChannelText.escaped(day))?channel=\(ChannelText.escaped(channel.rawValue))"
            return String(decoding: try await send("GET", path, body: nil, limit: 64 << 20), as: UTF8.self)
        } catch {
            if error.code == "NO_STATEMENT" { return nil }
            throw error
        }
    }

    struct RefundAnswer: Decodable { var refund_id: String; var status: String; var acquirer_refund_id: String?; var reason: String? }

    static func report(_ answer: RefundAnswer, _ refundID: String) throws(AcquirerError) -> ChannelRefundReport {
        guard answer.refund_id == refundID else { throw .malformedAnswer("the answer is about refund \(answer.refund_id), not \(refundID)") }
        let state: ChannelRefundReport.State
        switch answer.status {
        case "SUCCESS": state = .succeeded
        case "PROCESSING": state = .processing
        case "FAILED": state = .failed(answer.reason ?? "the acquirer failed the refund")
        default: throw .malformedAnswer("unknown refund status \(answer.status)")
        }
        return ChannelRefundReport(refundID: refundID, channelRefundID: answer.acquirer_refund_id, state: state)
    }

    func call<T: Decodable>(_ method: String, _ path: String, json: [String: Any]?) async throws(AcquirerError) -> T {
        let body: [UInt8]?
        do {
            body = try SignedExchange.json(json)
        } catch {
            throw .malformedAnswer("the request could not be written: \(error)")
        }
        let answer = try await send(method, path, body: body, limit: 1 << 20)
        do {
            return try JSONDecoder().decode(T.self, from: Data(answer))
        } catch {
            throw .malformedAnswer("\(error)")
        }
    }

    /// Sends a signed request; a 2xx answer is returned only once its signature verifies and is fresh.
    func send(_ method: String, _ path: String, body: [UInt8]?, limit: Int) async throws(AcquirerError) -> [UInt8] {
        do {
            return try await SignedExchange(baseURL: baseURL, secret: secret, prefix: "X-Acquirer", http: http, timeout: timeout, clock: clock)
                .send(method, path, body: body, limit: limit)
        } catch {
            switch error {
            case let .unreachable(reason): throw .unreachable(reason)
            case let .refused(status, code, message): throw .refused(status: status, code: code, message: message)
            case .unverified: throw .unverifiedAnswer
            }
        }
    }
}
