import CurbsideAPI
import CurbsideCore
import CurbsidePayments
import CurbsideStore
import Foundation
import Logging
import OpenAPIRuntime

/// Channel notifications: nothing in one is believed before its signature is
/// checked, and every one, refused or not, is recorded with what became of it.
extension BillingHandler {
    /// The largest notification body taken (the body limit middleware answers 413 past it).
    static let maxNotificationBytes = 64 << 10

    func wechatNotify(_ input: Operations.WechatNotify.Input) async throws -> Operations.WechatNotify.Output {
        guard case let .any(body) = input.body else { throw APIError.unsupportedBody }
        let h = input.headers
        switch try await readWeChat(body, timestamp: h.wechatpayTimestamp, nonce: h.wechatpayNonce, signature: h.wechatpaySignature, with: { (verifier, signed) throws(NotificationError) in
            try verifier.verify(timestamp: signed.timestamp, nonce: signed.nonce, signature: signed.signature, body: signed.body, now: signed.now)
        }) {
        case .notConfigured(let failure): return .notFound(.init(body: .json(failure)))
        case .unauthorized(let failure): return .unauthorized(.init(body: .json(failure)))
        case .unreadable(let failure): return .badRequest(.init(body: .json(failure)))
        case .read(let notification):
            guard let refusal = try await settle(notification) else { return .noContent(.init()) }
            return .badRequest(.init(body: .json(Self.failure(refusal))))
        }
    }

    func wechatRefundNotify(_ input: Operations.WechatRefundNotify.Input) async throws -> Operations.WechatRefundNotify.Output {
        guard case let .any(body) = input.body else { throw APIError.unsupportedBody }
        let h = input.headers
        switch try await readWeChat(body, timestamp: h.wechatpayTimestamp, nonce: h.wechatpayNonce, signature: h.wechatpaySignature, with: { (verifier, signed) throws(NotificationError) in
            try verifier.verifyRefund(timestamp: signed.timestamp, nonce: signed.nonce, signature: signed.signature, body: signed.body, now: signed.now)
        }) {
        case .notConfigured(let failure): return .notFound(.init(body: .json(failure)))
        case .unauthorized(let failure): return .unauthorized(.init(body: .json(failure)))
        case .unreadable(let failure): return .badRequest(.init(body: .json(failure)))
        case .read(let report):
            guard try await RefundQueue(store: store, database: try database, link: configuration.billing.payLink).report(report, now: now) != nil else {
                return .badRequest(.init(body: .json(Self.failure("No refund \(report.refundID)."))))
            }
            return .noContent(.init())
        }
    }

    /// What reading a WeChat Pay notification came to; a refusal is already recorded.
    enum WeChatRead<Content> {
        case read(Content)
        case notConfigured(Components.Schemas.ChannelFailure)
        /// A bad signature or a stale timestamp.
        case unauthorized(Components.Schemas.ChannelFailure)
        case unreadable(Components.Schemas.ChannelFailure)
    }

    /// What a WeChat Pay notification's check needs: its headers, body and our clock in seconds.
    struct WeChatSigned {
        var timestamp: String, nonce: String, signature: String, body: [UInt8], now: Int64
    }

    /// Reads a WeChat Pay notification (payment or refund) and checks it with `verify`, recording a refusal.
    func readWeChat<Content>(
        _ body: HTTPBody, timestamp: String, nonce: String, signature: String,
        with verify: (WeChatPayV3, WeChatSigned) throws(NotificationError) -> Content
    ) async throws -> WeChatRead<Content> {
        guard let verifier = channels.wechat else { return .notConfigured(Self.failure("WeChat Pay is not configured here.")) }
        let bytes = try await [UInt8](collecting: body, upTo: .max)
        do {
            return .read(try verify(verifier, WeChatSigned(timestamp: timestamp, nonce: nonce, signature: signature, body: bytes, now: now / 1000)))
        } catch {
            try await refused(.wechat, error)
            return error == .badSignature || error == .stale ? .unauthorized(Self.failure(error.message)) : .unreadable(Self.failure(error.message))
        }
    }

    /// WeChat Pay's (and the acquirer's) answer to a notification not accepted: `FAIL` and why.
    static func failure(_ message: String) -> Components.Schemas.ChannelFailure {
        .init(code: "FAIL", message: message)
    }

    /// Alipay sends again whatever is not answered `success`; `fail` goes with a 400 so that logs and monitors see it too.
    func alipayNotify(_ input: Operations.AlipayNotify.Input) async throws -> Operations.AlipayNotify.Output {
        let fail = Operations.AlipayNotify.Output.badRequest(.init(body: .plainText(HTTPBody("fail"))))
        guard let verifier = channels.alipay else { return .notFound(.init(body: .plainText(HTTPBody("fail")))) }
        guard case let .any(body) = input.body else { throw APIError.unsupportedBody }
        let parameters = Self.formParameters(try await [UInt8](collecting: body, upTo: .max))
        let notification: ChannelNotification
        do {
            notification = try verifier.verify(parameters)
        } catch {
            try await refused(.alipay, error)
            return fail
        }
        return try await settle(notification) == nil ? .ok(.init(body: .plainText(HTTPBody("success")))) : fail
    }

    func acquirerNotify(_ input: Operations.AcquirerNotify.Input) async throws -> Operations.AcquirerNotify.Output {
        let channel = PaymentChannel(rawValue: input.path.channel.rawValue)!
        guard let verifier = channels.acquirer else { return .notFound(.init(body: .json(Self.failure("The acquirer is not configured here.")))) }
        guard case let .any(body) = input.body else { throw APIError.unsupportedBody }
        let bytes = try await [UInt8](collecting: body, upTo: .max)
        let notification: ChannelNotification
        do {
            notification = try verifier.verify(
                channel: channel, timestamp: input.headers.xAcquirerTimestamp, signature: input.headers.xAcquirerSignature, body: bytes, now: now / 1000
            )
        } catch {
            try await refused(channel, error)
            return error == .badSignature || error == .stale ? .unauthorized(.init(body: .json(Self.failure(error.message)))) : .badRequest(.init(body: .json(Self.failure(error.message))))
        }
        guard let refusal = try await settle(notification) else { return .noContent(.init()) }
        return .badRequest(.init(body: .json(Self.failure(refusal))))
    }

    /// Settles a verified notification; nil when accepted (now or before), else why it was refused.
    func settle(_ notification: ChannelNotification) async throws -> String? {
        switch try await Payments(store: store, database: try database).settle(notification, now: now) {
        case .settled, .duplicate, .notPaid: nil
        case let .refused(_, message): message
        }
    }

    func refused(_ channel: PaymentChannel, _ error: NotificationError) async throws {
        Logger(label: "curbside.channels").warning("notification refused", metadata: ["channel": "\(channel.rawValue)", "reason": "\(error.code)"])
        try await Payments(store: store, database: try database).recordRefused(channel: channel, code: error.code, detail: error.message, now: now)
    }

    /// The parameters of a form-encoded body, percent-decoded, `+` as space.
    static func formParameters(_ bytes: [UInt8]) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in String(decoding: bytes, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String { text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text) }
            guard let name = parts.first else { continue }
            parameters[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return parameters
    }
}

extension NotificationError {
    var code: String {
        switch self {
        case .badSignature: "bad_signature"
        case .stale: "stale"
        case .malformed: "malformed"
        }
    }

    var message: String {
        switch self {
        case .badSignature: "The signature does not verify."
        case .stale: "The timestamp is more than 5 minutes from our clock."
        case let .malformed(text): text
        }
    }
}
