import Crypto
import CryptoExtras
import CurbsideCore
import Foundation

/// Payment notifications from WeChat Pay (API v3). WeChat signs
/// "timestamp\nnonce\nbody\n" with SHA256-RSA (PKCS #1 v1.5) under its platform
/// key and encrypts the transaction inside the body with AES-256-GCM under the
/// merchant's API v3 key; both are checked before anything is believed.
public struct WeChatPayV3: Sendable {
    public let platformKey: _RSA.Signing.PublicKey
    public let apiV3Key: SymmetricKey
    /// Notifications whose timestamp is further than this from our clock are refused (seconds).
    public var window: Int64 = 300

    public init(platformKey: _RSA.Signing.PublicKey, apiV3Key: SymmetricKey) {
        self.platformKey = platformKey
        self.apiV3Key = apiV3Key
    }

    /// The signed message of a notification.
    public static func message(timestamp: String, nonce: String, body: [UInt8]) -> [UInt8] {
        Array("\(timestamp)\n\(nonce)\n".utf8) + body + Array("\n".utf8)
    }

    /// Checks the Wechatpay-Timestamp, Wechatpay-Nonce and Wechatpay-Signature headers
    /// against the body, then decrypts and reads the transaction. `now` is UTC seconds.
    public func verify(timestamp: String, nonce: String, signature: String, body: [UInt8], now: Int64) throws(NotificationError) -> ChannelNotification {
        try verifySignature(timestamp: timestamp, nonce: nonce, signature: signature, body: body, now: now)
        struct Transaction: Decodable {
            struct Amount: Decodable { var total: Int; var currency: String }
            var out_trade_no: String
            var transaction_id: String
            var trade_state: String
            var amount: Amount
        }
        let plain = try resource(of: body)
        guard let transaction = try? JSONDecoder().decode(Transaction.self, from: plain) else {
            throw .malformed("The decrypted resource is not a transaction.")
        }
        return ChannelNotification(
            channel: .wechat, paymentID: transaction.out_trade_no, transactionID: transaction.transaction_id,
            amountFen: transaction.amount.total, currency: transaction.amount.currency, succeeded: transaction.trade_state == "SUCCESS"
        )
    }

    /// A refund notification (REFUND.SUCCESS, REFUND.ABNORMAL, REFUND.CLOSED), checked and decrypted the same way.
    public func verifyRefund(timestamp: String, nonce: String, signature: String, body: [UInt8], now: Int64) throws(NotificationError) -> ChannelRefundReport {
        try verifySignature(timestamp: timestamp, nonce: nonce, signature: signature, body: body, now: now)
        struct Refund: Decodable { var out_refund_no: String; var refund_id: String?; var refund_status: String }
        let plain = try resource(of: body)
        guard let refund = try? JSONDecoder().decode(Refund.self, from: plain),
              let status = WeChatPayRefundStatus(rawValue: refund.refund_status)
        else { throw .malformed("The decrypted resource is not a refund.") }
        return status.report(refundID: refund.out_refund_no, channelRefundID: refund.refund_id)
    }

    /// The notification's resource, decrypted with the API v3 key (AEAD_AES_256_GCM, the tag after the ciphertext).
    func resource(of body: [UInt8]) throws(NotificationError) -> Data {
        struct Envelope: Decodable {
            struct Resource: Decodable { var algorithm: String; var ciphertext: String; var associated_data: String?; var nonce: String }
            var resource: Resource
        }
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: Data(body))
        } catch {
            throw .malformed("The body is not a WeChat Pay notification.")
        }
        let resource = envelope.resource
        guard resource.algorithm == "AEAD_AES_256_GCM", let sealed = Data(base64Encoded: resource.ciphertext), sealed.count > 16 else {
            throw .malformed("The resource is not AEAD_AES_256_GCM ciphertext.")
        }
        do {
            let box = try AES.GCM.SealedBox(
                nonce: try AES.GCM.Nonce(data: Data(resource.nonce.utf8)), ciphertext: sealed.dropLast(16), tag: sealed.suffix(16)
            )
            return try AES.GCM.open(box, using: apiV3Key, authenticating: Data((resource.associated_data ?? "").utf8))
        } catch {
            throw .malformed("The resource does not decrypt with the API v3 key.")
        }
    }

    /// Checks a message signed by the platform, a notification or an answer to
    /// one of our requests: the signature over "timestamp\nnonce\nbody\n", then
    /// that the timestamp is within the window of `now` (UTC seconds).
    public func verifySignature(timestamp: String, nonce: String, signature: String, body: [UInt8], now: Int64) throws(NotificationError) {
        guard let sent = Int64(timestamp) else { throw .malformed("Wechatpay-Timestamp is not a number of seconds.") }
        guard let signed = Data(base64Encoded: signature) else { throw .badSignature }
        let valid = platformKey.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signed), for: SHA256.hash(data: Self.message(timestamp: timestamp, nonce: nonce, body: body)),
            padding: .insecurePKCS1v1_5
        )
        guard valid else { throw .badSignature }
        guard Freshness.within(window, sent: sent, now: now) else { throw .stale }
    }
}
