/// The money of a report row: sums of ledger entries by kind, so each figure
/// is the total of the entries a drill-down lists.
public struct LedgerFigures: Sendable, Equatable, Codable {
    /// 应收: charged at issue.
    public var receivableFen = 0
    /// 免收: waived at issue (exempt vehicles, permits).
    public var exemptionsFen = 0
    /// Taken off after issue (upheld appeals, voids, goodwill).
    public var discountsFen = 0
    /// 实收: paid through every channel.
    public var receivedFen = 0
    public var refundsFen = 0
    /// Arrears given up.
    public var writeOffsFen = 0
    /// The part of `receivedFen` paid on bills already overdue (追缴).
    public var arrearsRecoveredFen = 0
    /// Ledger entries summed.
    public var entries = 0

    public init() {}

    public mutating func add(_ kind: LedgerEntry.Kind, fen: Int, overdue: Bool, entries count: Int) {
        switch kind {
        case .receivable: receivableFen += fen
        case .exemption: exemptionsFen += fen
        case .discount: discountsFen += fen
        case .received:
            receivedFen += fen
            if overdue { arrearsRecoveredFen += fen }
        case .refund: refundsFen += fen
        case .writeOff: writeOffsFen += fen
        }
        entries += count
    }

    public mutating func add(_ other: LedgerFigures) {
        receivableFen += other.receivableFen
        exemptionsFen += other.exemptionsFen
        discountsFen += other.discountsFen
        receivedFen += other.receivedFen
        refundsFen += other.refundsFen
        writeOffsFen += other.writeOffsFen
        arrearsRecoveredFen += other.arrearsRecoveredFen
        entries += other.entries
    }

    /// Received less refunded: what the concessionaire keeps.
    public var netReceivedFen: Int { receivedFen - refundsFen }
    /// Charged less what was waived or taken off.
    public var netReceivableFen: Int { receivableFen - exemptionsFen - discountsFen }

    /// The amount a revenue share basis reads.
    public func basis(_ basis: RevenueShare.Basis) -> Int {
        basis == .received ? netReceivedFen : netReceivableFen
    }
}
