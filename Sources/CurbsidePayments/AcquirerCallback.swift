import Crypto
import CurbsideCore
import Foundation

/// Notifications from the acquiring gateway that carries UnionPay, bank-card
/// and ETC payments: a JSON body signed with the shared secret agreed with
/// the acquirer, as HMAC-SHA256 of "timestamp.body" in hex; the acquirer's
/// answers to our calls are signed the same way.
public struct AcquirerCallback: Sendable {
    public let secret: SymmetricKey
    /// Notifications further than this from our clock are refused (seconds).
    public var window: Int64 = 300

    public init(secret: SymmetricKey) {
        self.secret = secret
    }

    public static func signature(timestamp: String, body: [UInt8], secret: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp).".utf8) + body, using: secret)
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `signature` is `expected` (hex, any case), compared in constant time: a signature is a secret's proof.
    public static func same(_ expected: String, _ signature: String) -> Bool {
        expected.utf8.count == signature.utf8.count && zip(expected.utf8, signature.lowercased().utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
    }

    public func verify(channel: PaymentChannel, timestamp: String, signature: String, body: [UInt8], now: Int64) throws(NotificationError) -> ChannelNotification {
        guard let sent = Int64(timestamp) else { throw .malformed("X-Acquirer-Timestamp is not a number of seconds.") }
        let expected = Self.signature(timestamp: timestamp, body: body, secret: secret)
        guard Self.same(expected, signature) else { throw .badSignature }
        guard Freshness.within(window, sent: sent, now: now) else { throw .stale }
        struct Body: Decodable {
            var payment_id: String
            var transaction_id: String
            var amount_fen: Int
            var currency: String
            var status: String
        }
        guard let decoded = try? JSONDecoder().decode(Body.self, from: Data(body)) else {
            throw .malformed("The body needs payment_id, transaction_id, amount_fen, currency and status.")
        }
        return ChannelNotification(
            channel: channel, paymentID: decoded.payment_id, transactionID: decoded.transaction_id, amountFen: decoded.amount_fen,
            currency: decoded.currency, succeeded: decoded.status == "SUCCESS"
        )
    }
}
