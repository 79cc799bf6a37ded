import CurbsideCore

/// A refund to ask WeChat Pay for (申请退款): part or all of a paid order, under our refund id.
public struct WeChatPayRefundRequest: Sendable, Equatable {
    public var outTradeNo: String
    /// Our refund id; asking again with the same one is the same refund, never a second.
    public var outRefundNo: String
    public var refundFen: Int
    /// The order's whole amount, as WeChat Pay checks it.
    public var totalFen: Int
    public var reason: String
    public var notifyURL: String?

    public init(outTradeNo: String, outRefundNo: String, refundFen: Int, totalFen: Int, reason: String, notifyURL: String?) {
        self.outTradeNo = outTradeNo
        self.outRefundNo = outRefundNo
        self.refundFen = refundFen
        self.totalFen = totalFen
        self.reason = reason
        self.notifyURL = notifyURL
    }
}

/// WeChat Pay's refund states, as its answers, queries and notifications name them.
enum WeChatPayRefundStatus: String {
    case success = "SUCCESS"
    case closed = "CLOSED"
    case processing = "PROCESSING"
    case abnormal = "ABNORMAL"

    func report(refundID: String, channelRefundID: String?) -> ChannelRefundReport {
        let state: ChannelRefundReport.State = switch self {
        case .success: .succeeded
        case .processing: .processing
        case .closed: .failed("WeChat Pay closed the refund")
        case .abnormal: .failed("WeChat Pay could not pay the refund back to the payer's account (ABNORMAL)")
        }
        return ChannelRefundReport(refundID: refundID, channelRefundID: channelRefundID, state: state)
    }
}
