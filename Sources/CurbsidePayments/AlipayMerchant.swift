import Crypto
import CryptoExtras
import CurbsideCore
import Foundation

/// Our application on Alipay's open platform and the key its requests are
/// signed with (RSA2): every parameter but `sign`, and none that is empty,
/// sorted by name, joined as name=value with "&", signed SHA256-RSA (PKCS #1 v1.5).
/// Unlike a notification's check, a request's signed string includes `sign_type`.
public struct AlipayMerchant: Sendable {
    public let appID: String
    public let privateKey: _RSA.Signing.PrivateKey

    public init(appID: String, privateKey: _RSA.Signing.PrivateKey) {
        self.appID = appID
        self.privateKey = privateKey
    }

    public static func requestCanonical(_ parameters: [String: String]) -> String {
        parameters.filter { $0.key != "sign" && !$0.value.isEmpty }
            .sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { "\($0.key)=\($0.value)" }
            .joined(separator: "&")
    }

    /// The public parameters of a call to `method` with its `biz_content`, signed.
    public func signedParameters(method: String, bizContent: String, notifyURL: String? = nil, extra: [String: String] = [:], at date: Date) throws -> [String: String] {
        var parameters = extra.merging([
            "app_id": appID, "method": method, "format": "JSON", "charset": "utf-8", "sign_type": "RSA2",
            "timestamp": Self.timestamp(date), "version": "1.0", "biz_content": bizContent,
        ]) { $1 }
        if let notifyURL { parameters["notify_url"] = notifyURL }
        let signature = try privateKey.signature(for: SHA256.hash(data: Data(Self.requestCanonical(parameters).utf8)), padding: .insecurePKCS1v1_5)
        parameters["sign"] = signature.rawRepresentation.base64EncodedString()
        return parameters
    }

    /// Alipay's clock: China Standard Time, whatever the city's.
    static let beijing = ZoneClock(identifier: "Asia/Shanghai")!

    /// `yyyy-MM-dd HH:mm:ss` on Alipay's clock.
    public static func timestamp(_ date: Date) -> String {
        let local = LocalDateTime.format(date.seconds, in: beijing)
        return String(local.prefix(10)) + " " + String(local.dropFirst(11).prefix(8))
    }

    /// Form encoding as Alipay's gateway reads it (application/x-www-form-urlencoded, UTF-8).
    public static func form(_ parameters: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return parameters.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
    }
}
