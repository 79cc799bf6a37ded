import CurbsideCore

/// A ledger entry as a report attributes it: to its bill's zone, its bay's road segment and its payment's channel.
public struct ReportEntry: Sendable, Equatable {
    public var id: Int64
    public var bill: String
    public var kind: LedgerEntry.Kind
    public var amountFen: Int
    public var at: Int64
    public var reference: String
    public var zone: String
    public var segment: String
    public var channel: PaymentChannel?
}

/// Which entries a report figure sums.
public struct ReportEntryFilter: Sendable {
    public var instants: Range<Int64>
    public var kind: LedgerEntry.Kind
    public var zone: String?
    public var segment: String?
    public var channel: PaymentChannel?
    /// Received on a bill already overdue (true), or not (false).
    public var overdue: Bool?

    public init(instants: Range<Int64>, kind: LedgerEntry.Kind, zone: String? = nil, segment: String? = nil, channel: PaymentChannel? = nil, overdue: Bool? = nil) {
        self.instants = instants
        self.kind = kind
        self.zone = zone
        self.segment = segment
        self.channel = channel
        self.overdue = overdue
    }
}
