/// One line of the ledger. Every figure a report shows is a sum of these.
/// Amounts are positive; the kind says which way they count.
public struct LedgerEntry: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// 应收: what the bill charges.
        case receivable
        /// Taken off the charge after issue (an upheld appeal, goodwill).
        case discount
        /// 免收: waived at issue for exempt vehicles and permit holders.
        case exemption
        /// 实收: paid through a channel.
        case received
        /// Paid back to the citizen.
        case refund
        /// Given up as uncollectable.
        case writeOff = "write_off"
    }

    public var bill: String
    public var kind: Kind
    public var amountFen: Int
    /// UTC ms.
    public var at: Int64
    /// What caused it: the bill's issue, a payment id, a refund id.
    public var reference: String

    public init(bill: String, kind: Kind, amountFen: Int, at: Int64, reference: String) {
        self.bill = bill
        self.kind = kind
        self.amountFen = amountFen
        self.at = at
        self.reference = reference
    }
}
