/// A payment channel's word that a payment Curbside created has been paid,
/// once its signature has been checked.
public struct ChannelNotification: Sendable, Equatable {
    public var channel: PaymentChannel
    /// Curbside's payment id (the channel's out_trade_no).
    public var paymentID: String
    /// The channel's own transaction id.
    public var transactionID: String
    public var amountFen: Int
    public var currency: String
    /// Paid; anything else (closed, refunded, still waiting) settles nothing.
    public var succeeded: Bool

    public init(channel: PaymentChannel, paymentID: String, transactionID: String, amountFen: Int, currency: String, succeeded: Bool) {
        self.channel = channel
        self.paymentID = paymentID
        self.transactionID = transactionID
        self.amountFen = amountFen
        self.currency = currency
        self.succeeded = succeeded
    }
}

/// Why a notification is refused. A refused notification changes nothing.
public enum NotificationError: Error, Equatable, Sendable {
    /// The signature does not verify with the channel's key: forged or altered.
    case badSignature
    /// The notification is too old or from the future: possibly replayed.
    case stale
    /// It cannot be read; the text says what is wrong.
    case malformed(String)
}
