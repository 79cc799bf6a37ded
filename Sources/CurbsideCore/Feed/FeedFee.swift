/// A fee record: receivable, received (with its payment type) or refunded money of one bill.
public struct FeedFee: Sendable, Equatable, Codable {
    public var bill: String
    public var session: String
    public var kind: LedgerEntry.Kind
    public var amountFen: Int
    /// The payment channel of money received or refunded.
    public var paymentType: PaymentChannel?
    /// The money was received or refunded through a non-stop deduction (无感支付), the citizen doing nothing.
    public var nonStop: Bool?

    public init(bill: String, session: String, kind: LedgerEntry.Kind, amountFen: Int, paymentType: PaymentChannel?) {
        self.bill = bill
        self.session = session
        self.kind = kind
        self.amountFen = amountFen
        self.paymentType = paymentType
    }

    enum CodingKeys: String, CodingKey {
        case bill, session, kind
        case amountFen = "amount_fen"
        case paymentType = "payment_type"
        case nonStop = "non_stop"
    }
}
