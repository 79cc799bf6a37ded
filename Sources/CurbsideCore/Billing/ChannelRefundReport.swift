/// A channel's word on a refund Curbside sent it, from its answer, a query or
/// its signed notification.
public struct ChannelRefundReport: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// The money is back with the payer.
        case succeeded
        /// Taken, not finished: ask again later.
        case processing
        /// The channel will not pay it back as asked (an abnormal account, a closed refund): finance takes it on.
        case failed(String)
    }

    /// Curbside's refund id (WeChat's out_refund_no, Alipay's out_request_no).
    public var refundID: String
    /// The channel's own refund id, when it gives one.
    public var channelRefundID: String?
    public var state: State

    public init(refundID: String, channelRefundID: String?, state: State) {
        self.refundID = refundID
        self.channelRefundID = channelRefundID
        self.state = state
    }
}
