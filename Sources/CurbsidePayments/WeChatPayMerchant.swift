import Crypto
import CryptoExtras
import Foundation

/// The merchant's side of WeChat Pay API v3: who we are to WeChat and the key
/// our requests are signed with (`WECHATPAY2-SHA256-RSA2048`), as WeChat Pay
/// publishes it: SHA256-RSA (PKCS #1 v1.5) over
/// "METHOD\nURL\ntimestamp\nnonce\nbody\n", where URL is the path with its query.
public struct WeChatPayMerchant: Sendable {
    /// 商户号.
    public let merchantID: String
    /// The application (公众号 or 小程序) whose users pay.
    public let appID: String
    /// The serial number of the merchant's API certificate, which tells WeChat which key to check with.
    public let serialNumber: String
    public let privateKey: _RSA.Signing.PrivateKey

    public init(merchantID: String, appID: String, serialNumber: String, privateKey: _RSA.Signing.PrivateKey) {
        self.merchantID = merchantID
        self.appID = appID
        self.serialNumber = serialNumber
        self.privateKey = privateKey
    }

    public static func requestMessage(method: String, url: String, timestamp: String, nonce: String, body: [UInt8]) -> [UInt8] {
        Array("\(method)\n\(url)\n\(timestamp)\n\(nonce)\n".utf8) + body + Array("\n".utf8)
    }

    /// The Authorization header of a request. `url` is the path and query, as sent.
    public func authorization(method: String, url: String, body: [UInt8], timestamp: Int64, nonce: String) throws -> String {
        let message = Self.requestMessage(method: method, url: url, timestamp: String(timestamp), nonce: nonce, body: body)
        let signature = try sign(message)
        return "WECHATPAY2-SHA256-RSA2048 mchid=\"\(merchantID)\",nonce_str=\"\(nonce)\",signature=\"\(signature)\","
            + "timestamp=\"\(timestamp)\",serial_no=\"\(serialNumber)\""
    }

    /// What a page inside WeChat hands to `WeixinJSBridge.invoke('getBrandWCPayRequest', ...)` to pay a
    /// JSAPI order: the prepay id signed over "appId\ntimeStamp\nnonceStr\npackage\n".
    public func jsapiParameters(prepayID: String, timestamp: Int64, nonce: String) throws -> JSAPIPayParameters {
        let package = "prepay_id=\(prepayID)"
        let message = Array("\(appID)\n\(timestamp)\n\(nonce)\n\(package)\n".utf8)
        return JSAPIPayParameters(appId: appID, timeStamp: String(timestamp), nonceStr: nonce, package: package, signType: "RSA", paySign: try sign(message))
    }

    private func sign(_ message: [UInt8]) throws -> String {
        try privateKey.signature(for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5).rawRepresentation.base64EncodedString()
    }

    /// A 32-character random nonce, as WeChat's examples use.
    public static func nonce() -> String {
        (0..<16).map { _ in String(format: "%02X", UInt8.random(in: 0...255)) }.joined()
    }
}

/// The JSAPI payment's parameters, named as WeChat's page bridge reads them.
public struct JSAPIPayParameters: Sendable, Codable, Equatable {
    public var appId: String
    public var timeStamp: String
    public var nonceStr: String
    public var package: String
    public var signType: String
    public var paySign: String
}
