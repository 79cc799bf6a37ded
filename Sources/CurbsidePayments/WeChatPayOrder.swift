import CurbsideCore
import Foundation

/// An order to place with WeChat Pay: our payment's id is its out_trade_no.
public struct WeChatPayOrder: Sendable, Equatable {
    public var outTradeNo: String
    public var description: String
    public var amountFen: Int
    public var notifyURL: String
    public var expiresAt: Date

    public init(outTradeNo: String, description: String, amountFen: Int, notifyURL: String, expiresAt: Date) {
        self.outTradeNo = outTradeNo
        self.description = description
        self.amountFen = amountFen
        self.notifyURL = notifyURL
        self.expiresAt = expiresAt
    }
}

/// Where the payer is, which decides the kind of order.
public enum WeChatPayScene: Sendable, Equatable {
    /// A QR code shown on a screen, scanned with WeChat.
    case native
    /// Inside WeChat, for a user of our application known by their openid.
    case jsapi(openID: String)
    /// A phone's browser outside WeChat.
    case h5(payerIP: String)
}

/// What the page needs to have the order paid.
public enum WeChatPayPrepay: Sendable, Equatable {
    case native(codeURL: String)
    case jsapi(JSAPIPayParameters)
    case h5(url: String)
}

/// An order as WeChat Pay reports it when queried.
public struct WeChatPayTrade: Sendable, Equatable {
    /// trade_state, as WeChat Pay names them.
    public enum State: String, Sendable {
        case success = "SUCCESS"
        case refund = "REFUND"
        case notPaid = "NOTPAY"
        case closed = "CLOSED"
        case revoked = "REVOKED"
        case paying = "USERPAYING"
        case failed = "PAYERROR"
    }

    public var outTradeNo: String
    public var state: State
    public var transactionID: String?
    public var amountFen: Int?
    public var currency: String?
    public var successTime: String?
}

/// Why a call to WeChat Pay did not give an answer to act on.
public enum WeChatPayError: Error, Equatable, Sendable, CustomStringConvertible {
    /// WeChat Pay answered with a refusal (`SIGN_ERROR`, `ORDER_CLOSED`, `ORDERPAID`, ...).
    case refused(status: Int, code: String, message: String)
    /// A 2xx answer whose signature does not verify with the platform key: not believed.
    case unverifiedAnswer(NotificationError)
    case malformedAnswer(String)
    /// No answer: the network, a timeout, or the request could not be made.
    case unreachable(String)

    /// WeChat Pay's code for a refusal (`ORDER_NOT_EXIST`, ...); empty for anything else.
    public var code: String {
        if case let .refused(_, code, _) = self { code } else { "" }
    }

    public var description: String {
        switch self {
        case let .refused(status, code, message): "WeChat Pay refused (\(status) \(code)): \(message)"
        case let .unverifiedAnswer(error): "WeChat Pay's answer does not verify: \(error)"
        case let .malformedAnswer(reason): "WeChat Pay's answer cannot be read: \(reason)"
        case let .unreachable(reason): "WeChat Pay did not answer: \(reason)"
        }
    }
}
