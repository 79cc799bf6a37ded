import CurbsideCore
import Foundation

/// A trade to open with Alipay: our payment's id is its out_trade_no.
public struct AlipayOrder: Sendable, Equatable {
    public var outTradeNo: String
    public var subject: String
    public var amountFen: Int
    public var notifyURL: String
    public var expiresAt: Date

    public init(outTradeNo: String, subject: String, amountFen: Int, notifyURL: String, expiresAt: Date) {
        self.outTradeNo = outTradeNo
        self.subject = subject
        self.amountFen = amountFen
        self.notifyURL = notifyURL
        self.expiresAt = expiresAt
    }

    func biz() -> [String: Any] {
        ["out_trade_no": outTradeNo, "subject": subject, "total_amount": Money.yuan(amountFen), "time_expire": AlipayMerchant.timestamp(expiresAt)]
    }
}

/// A trade as Alipay reports it when queried.
public struct AlipayTrade: Sendable, Equatable {
    public enum Status: String, Sendable {
        case waiting = "WAIT_BUYER_PAY"
        case closed = "TRADE_CLOSED"
        case success = "TRADE_SUCCESS"
        /// Paid, and past the time a refund can be asked for.
        case finished = "TRADE_FINISHED"
    }

    public var outTradeNo: String
    public var status: Status
    public var tradeNo: String?
    public var amountFen: Int?
}

/// Why a call to Alipay did not give an answer to act on.
public enum AlipayError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Alipay answered with a refusal: `code` as 40004, `subCode` as ACQ.TRADE_NOT_EXIST.
    case refused(code: String, subCode: String, message: String)
    /// An answer whose signature does not verify with Alipay's public key: not believed.
    case unverifiedAnswer
    case malformedAnswer(String)
    case unreachable(String)

    /// Alipay's sub_code for a refusal (`ACQ.TRADE_NOT_EXIST`, ...); empty for anything else.
    public var subCode: String {
        if case let .refused(_, subCode, _) = self { subCode } else { "" }
    }

    public var description: String {
        switch self {
        case let .refused(code, subCode, message): "Alipay refused (\(code) \(subCode)): \(message)"
        case .unverifiedAnswer: "Alipay's answer does not verify with its public key"
        case let .malformedAnswer(reason): "Alipay's answer cannot be read: \(reason)"
        case let .unreachable(reason): "Alipay did not answer: \(reason)"
        }
    }
}
