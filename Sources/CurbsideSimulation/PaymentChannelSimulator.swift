import Crypto
import CryptoExtras
import CurbsideCore
import CurbsidePayments
import Foundation

/// Plays the payment channels' side for the demo and the tests: keys made
/// here, whose public halves the server is configured with, and
/// notifications signed exactly as WeChat Pay v3, Alipay (RSA2) and the
/// acquirer sign theirs.
public struct PaymentChannelSimulator: Sendable {
    public let weChatKey: _RSA.Signing.PrivateKey
    public let alipayKey: _RSA.Signing.PrivateKey
    /// Someone else's key, for forgeries.
    public let forgerKey: _RSA.Signing.PrivateKey
    public let apiV3Key = "0123456789abcdef0123456789abcdef"
    public let acquirerSecret = "acquirer-shared-secret-of-32-bytes!!"
    public var acquirerKey: SymmetricKey { SymmetricKey(data: Data(acquirerSecret.utf8)) }
    public let alipayAppID = "2021000000000001"

    public static let shared = try! PaymentChannelSimulator()
    /// The most one order may be for (100,000,000 yuan, Alipay's published ceiling): larger amounts are refused, so
    /// what the simulators add up (statements' totals) stays far from overflowing.
    public static let largestOrderFen = 10_000_000_000

    public init() throws {
        weChatKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        alipayKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        forgerKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
    }

    /// A WeChat Pay v3 payment notification (TRANSACTION.SUCCESS): headers and body.
    public func weChat(payment: String, transaction: String, fen: Int, at seconds: Int64, signer: _RSA.Signing.PrivateKey? = nil) throws -> (headers: [(String, String)], body: Data) {
        try weChatNotification(event: "TRANSACTION.SUCCESS", id: transaction, resource: """
            {"out_trade_no":"\(payment)","transaction_id":"\(transaction)","trade_state":"SUCCESS","amount":{"total":\(fen),"payer_total":\(fen),"currency":"CNY"}}
            """, associatedData: "transaction", at: seconds, signer: signer)
    }

    /// A WeChat Pay v3 refund notification (REFUND.SUCCESS and the rest), as `status` says.
    public func weChatRefund(
        payment: String, refund: String, refundID: String, status: String, refundFen: Int, totalFen: Int, at seconds: Int64
    ) throws -> (headers: [(String, String)], body: Data) {
        try weChatNotification(event: "REFUND.\(status)", id: refundID, resource: """
            {"out_trade_no":"\(payment)","out_refund_no":"\(refund)","refund_id":"\(refundID)","refund_status":"\(status)",\
            "amount":{"total":\(totalFen),"refund":\(refundFen),"payer_total":\(totalFen),"payer_refund":\(refundFen)}}
            """, associatedData: "refund", at: seconds, signer: nil)
    }

    /// A notification whose resource is sealed with the API v3 key (AES-256-GCM) and whose body is signed with the platform key.
    func weChatNotification(
        event: String, id: String, resource: String, associatedData: String, at seconds: Int64, signer: _RSA.Signing.PrivateKey?
    ) throws -> (headers: [(String, String)], body: Data) {
        let nonce = String(id.suffix(12)).padding(toLength: 12, withPad: "0", startingAt: 0)
        let sealed = try AES.GCM.seal(
            Data(resource.utf8), using: SymmetricKey(data: Data(apiV3Key.utf8)), nonce: try AES.GCM.Nonce(data: Data(nonce.utf8)),
            authenticating: Data(associatedData.utf8)
        )
        let body = Data("""
            {"id":"EV-\(id)","event_type":"\(event)","resource_type":"encrypt-resource","resource":{"algorithm":"AEAD_AES_256_GCM","ciphertext":"\((sealed.ciphertext + sealed.tag).base64EncodedString())","associated_data":"\(associatedData)","nonce":"\(nonce)"}}
            """.utf8)
        let headerNonce = "n" + id
        let message = WeChatPayV3.message(timestamp: "\(seconds)", nonce: headerNonce, body: Array(body))
        let signature = try (signer ?? weChatKey).signature(for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5).rawRepresentation.base64EncodedString()
        return ([
            ("Wechatpay-Timestamp", "\(seconds)"), ("Wechatpay-Nonce", headerNonce), ("Wechatpay-Signature", signature), ("Wechatpay-Serial", "5157F09EFDC096DE15EBE81A47057A72"),
        ], body)
    }

    /// An Alipay notification as a form body, signed over its canonical string.
    public func alipay(payment: String, transaction: String, yuan: String, signer: _RSA.Signing.PrivateKey? = nil, tamper: ((inout [String: String]) -> Void)? = nil) throws -> Data {
        var parameters = [
            "app_id": alipayAppID, "out_trade_no": payment, "trade_no": transaction, "trade_status": "TRADE_SUCCESS", "total_amount": yuan,
            "notify_time": "2026-11-20 12:15:00", "charset": "utf-8", "version": "1.0", "sign_type": "RSA2",
        ]
        parameters["sign"] = try (signer ?? alipayKey).signature(for: SHA256.hash(data: Data(Alipay.canonical(parameters).utf8)), padding: .insecurePKCS1v1_5)
            .rawRepresentation.base64EncodedString()
        tamper?(&parameters)
        return Data(AlipayMerchant.form(parameters).utf8)
    }

    /// An acquirer notification (UnionPay, bank card, ETC).
    public func acquirer(payment: String, transaction: String, fen: Int, at seconds: Int64) -> (headers: [(String, String)], body: Data) {
        let body = Data("""
            {"payment_id":"\(payment)","transaction_id":"\(transaction)","amount_fen":\(fen),"currency":"CNY","status":"SUCCESS"}
            """.utf8)
        return ([("X-Acquirer-Timestamp", "\(seconds)"), ("X-Acquirer-Signature", AcquirerCallback.signature(timestamp: "\(seconds)", body: Array(body), secret: acquirerKey))], body)
    }
}
