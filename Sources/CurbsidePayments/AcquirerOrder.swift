import CurbsideCore
import Foundation

/// An order to place with the acquirer for a UnionPay, bank-card or ETC
/// payment: our payment's id names it.
public struct AcquirerOrder: Sendable, Equatable {
    /// Where the payer is: a QR code to scan (UnionPay's Quick Pass and banks' apps), or the acquirer's
    /// payment page in the phone's browser.
    public enum Scene: String, Sendable {
        case qr
        case mobileWeb = "mobile_web"
    }

    public var paymentID: String
    public var channel: PaymentChannel
    public var subject: String
    public var amountFen: Int
    public var notifyURL: String
    public var returnURL: String
    public var expiresAt: Date
    public var scene: Scene

    public init(
        paymentID: String, channel: PaymentChannel, subject: String, amountFen: Int, notifyURL: String, returnURL: String, expiresAt: Date, scene: Scene
    ) {
        self.paymentID = paymentID
        self.channel = channel
        self.subject = subject
        self.amountFen = amountFen
        self.notifyURL = notifyURL
        self.returnURL = returnURL
        self.expiresAt = expiresAt
        self.scene = scene
    }
}

/// What the payer pays with: a QR code's text, or a page to open.
public enum AcquirerPrepay: Sendable, Equatable {
    case qr(String)
    case page(String)
}

/// An order as the acquirer reports it when asked.
public struct AcquirerTrade: Sendable, Equatable {
    public enum Status: String, Sendable {
        case pending = "PENDING"
        case success = "SUCCESS"
        case closed = "CLOSED"
    }

    public var paymentID: String
    public var status: Status
    public var transactionID: String?
    public var amountFen: Int
}

public enum AcquirerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The acquirer answered with a refusal: `ORDER_NOT_FOUND`, `ORDER_PAID`, `NO_STATEMENT`, ...
    case refused(status: Int, code: String, message: String)
    /// An answer whose signature does not verify with the shared secret: not believed.
    case unverifiedAnswer
    case malformedAnswer(String)
    case unreachable(String)

    /// The acquirer's code for a refusal; empty for anything else.
    public var code: String {
        if case let .refused(_, code, _) = self { code } else { "" }
    }

    public var description: String {
        switch self {
        case let .refused(status, code, message): "the acquirer refused (\(status) \(code)): \(message)"
        case .unverifiedAnswer: "the acquirer's answer does not verify with the shared secret"
        case let .malformedAnswer(reason): "the acquirer's answer cannot be read: \(reason)"
        case let .unreachable(reason): "the acquirer did not answer: \(reason)"
        }
    }
}
