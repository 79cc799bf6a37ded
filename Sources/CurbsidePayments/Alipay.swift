import Crypto
import CryptoExtras
import CurbsideCore
import Foundation

/// Asynchronous payment notifications from Alipay (RSA2). Alipay signs the
/// notification's parameters, less `sign` and `sign_type` and any empty one,
/// sorted by name and joined as name=value with "&", with SHA256-RSA
/// (PKCS #1 v1.5) under its public key's private half.
public struct Alipay: Sendable {
    public let alipayKey: _RSA.Signing.PublicKey
    /// Our application id: a notification for another application is refused.
    public let appID: String

    public init(alipayKey: _RSA.Signing.PublicKey, appID: String) {
        self.alipayKey = alipayKey
        self.appID = appID
    }

    /// The signed string of a notification's (already URL-decoded) parameters.
    public static func canonical(_ parameters: [String: String]) -> String {
        parameters.filter { $0.key != "sign" && $0.key != "sign_type" && !$0.value.isEmpty }
            .sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { "\($0.key)=\($0.value)" }
            .joined(separator: "&")
    }

    public func verify(_ parameters: [String: String]) throws(NotificationError) -> ChannelNotification {
        guard parameters["sign_type"] == "RSA2" else { throw .malformed("sign_type must be RSA2.") }
        guard let signed = parameters["sign"].flatMap({ Data(base64Encoded: $0) }) else { throw .badSignature }
        let valid = alipayKey.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signed), for: SHA256.hash(data: Data(Self.canonical(parameters).utf8)),
            padding: .insecurePKCS1v1_5
        )
        guard valid else { throw .badSignature }
        guard parameters["app_id"] == appID else { throw .malformed("The notification is for application \(parameters["app_id"] ?? "?"), not ours.") }
        guard let payment = parameters["out_trade_no"], let transaction = parameters["trade_no"], let status = parameters["trade_status"] else {
            throw .malformed("out_trade_no, trade_no and trade_status are required.")
        }
        guard let amount = parameters["total_amount"].flatMap(Money.fen(fromYuan:)) else {
            throw .malformed("total_amount must be yuan with at most two decimals.")
        }
        return ChannelNotification(
            channel: .alipay, paymentID: payment, transactionID: transaction, amountFen: amount, currency: "CNY",
            succeeded: status == "TRADE_SUCCESS" || status == "TRADE_FINISHED"
        )
    }

    /// Whether `text` (an answer's `<method>_response` member, as sent) is signed with Alipay's key.
    public func isSigned(_ text: Data, signature: Data) -> Bool {
        alipayKey.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: text), padding: .insecurePKCS1v1_5)
    }
}
