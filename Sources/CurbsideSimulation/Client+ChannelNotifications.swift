import CurbsideAPI
import CurbsideCore
import Foundation
import OpenAPIRuntime

/// A channel simulator's signed notifications, sent through the contract's
/// client exactly as the channel sends them: its headers, its bytes.
extension Client {
    public func wechatNotify(_ signed: (headers: [(String, String)], body: Data)) async throws -> Operations.WechatNotify.Output {
        let headers = Dictionary(signed.headers, uniquingKeysWith: { $1 })
        return try await wechatNotify(
            headers: .init(wechatpayTimestamp: headers["Wechatpay-Timestamp"] ?? "", wechatpayNonce: headers["Wechatpay-Nonce"] ?? "",
                           wechatpaySignature: headers["Wechatpay-Signature"] ?? "", wechatpaySerial: headers["Wechatpay-Serial"]),
            body: .any(HTTPBody(signed.body))
        )
    }

    public func alipayNotify(_ form: Data) async throws -> Operations.AlipayNotify.Output {
        try await alipayNotify(body: .any(HTTPBody(form)))
    }

    /// An acquirer's notification for `channel` (UnionPay, bank card or ETC).
    public func acquirerNotify(_ channel: PaymentChannel, _ signed: (headers: [(String, String)], body: Data)) async throws -> Operations.AcquirerNotify.Output {
        guard let path = Operations.AcquirerNotify.Input.Path.ChannelPayload(rawValue: channel.rawValue) else {
            throw SimulatorError("\(channel.rawValue) is not an acquirer channel")
        }
        let headers = Dictionary(signed.headers, uniquingKeysWith: { $1 })
        return try await acquirerNotify(
            path: .init(channel: path),
            headers: .init(xAcquirerTimestamp: headers["X-Acquirer-Timestamp"] ?? "", xAcquirerSignature: headers["X-Acquirer-Signature"] ?? ""),
            body: .any(HTTPBody(signed.body))
        )
    }
}

/// A simulator was asked for something its protocol does not have.
public struct SimulatorError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
