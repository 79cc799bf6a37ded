/// The money side of bills: issue, payments, refunds, discounts and
/// write-offs as ledger entries, with the rules that keep it honest. A
/// payment is applied once however often its notification comes; nothing is
/// paid beyond what is owed; a refund never exceeds what was paid; and every
/// bill's balance is the sum of its entries. Pure, so the store runs the same
/// rules inside its transactions and the property test runs them at random.
public struct Ledger: Sendable, Equatable {
    public enum Refusal: Error, Equatable, Sendable {
        case unknownBill(String)
        /// The bill was issued before.
        case alreadyIssued(String)
        /// A payment must cover at least one bill, each with a positive amount.
        case emptyPayment
        /// More than the bill still owes.
        case overpayment(bill: String, owed: Int)
        /// More than was paid on the bill, less earlier refunds.
        case refundExceedsPaid(bill: String, paid: Int)
        /// More than the bill still owes, for a discount or write-off.
        case exceedsOutstanding(bill: String, outstanding: Int)
        /// A correction may lower a bill, never raise it.
        case correctionRaises(bill: String, charge: Int)
        case notPositive
        /// More than one ledger entry may hold (`maxEntryFen`).
        case tooLarge(limit: Int)
        /// Cash beyond what the bill asked for and the change allowance (`cashExcessFen`).
        case cashExceedsBill(bill: String, limit: Int)
    }

    /// Cash an officer may record for a bill beyond what it asks for: one
    /// ¥100 note the officer had no change for. The excess is owed back.
    public static let cashExcessFen = 10_000

    /// Checks cash taken on the street against what each bill asked for (its
    /// charge less what was taken off), however much is still owed: a queued
    /// action may reach a bill paid meanwhile, and its excess is owed back.
    public func checkCash(_ amounts: [(bill: String, fen: Int)]) throws(Refusal) {
        var totals: [String: Int] = [:]
        for (bill, fen) in amounts {
            try Self.checkAmount(fen)
            guard let balance = balances[bill] else { throw .unknownBill(bill) }
            let limit = balance.charged - balance.reduced + Self.cashExcessFen
            let total = (totals[bill] ?? 0) + fen
            guard total <= limit else { throw .cashExceedsBill(bill: bill, limit: limit) }
            totals[bill] = total
        }
    }

    /// The most one entry may hold: ¥10,000,000, far beyond any parking bill.
    /// Every amount is checked against it before any arithmetic, so no sum a
    /// bill, a report or a shift makes of stored entries can overflow (it would
    /// take nine billion entries at the ceiling), whatever a request asked for.
    public static let maxEntryFen = 1_000_000_000

    static func checkAmount(_ fen: Int) throws(Refusal) {
        guard fen > 0 else { throw .notPositive }
        guard fen <= maxEntryFen else { throw .tooLarge(limit: maxEntryFen) }
    }

    /// How an operation went: applied now, or applied before (a repeated notification).
    public enum Outcome: Equatable, Sendable {
        case applied([LedgerEntry])
        case alreadyApplied
    }

    public private(set) var entries: [LedgerEntry] = []
    private var balances: [String: Balance] = [:]
    private var references: Set<String> = []

    /// One bill's sums by kind.
    public struct Balance: Sendable, Equatable {
        public var charged = 0
        public var reduced = 0
        public var received = 0
        public var refunded = 0

        public init(charged: Int = 0, reduced: Int = 0, received: Int = 0, refunded: Int = 0) {
            self.charged = charged
            self.reduced = reduced
            self.received = received
            self.refunded = refunded
        }

        /// What the citizen still owes.
        public var outstanding: Int { charged - reduced - received + refunded }
        /// Paid and not given back.
        public var netPaid: Int { received - refunded }
    }

    public init() {}

    /// The ledger as stored: the same balances and applied references as the operations that wrote `entries`.
    public init(entries stored: [LedgerEntry]) {
        for entry in stored {
            if entry.kind == .receivable, balances[entry.bill] == nil { balances[entry.bill] = Balance() }
            guard balances[entry.bill] != nil else { continue }
            if entry.reference != Self.issueReference { references.insert(entry.reference) }
            apply([entry])
        }
    }

    static let issueReference = "issue"

    public func balance(_ bill: String) -> Balance? { balances[bill] }

    /// Records an issued bill: its charge, and what was waived at issue.
    public mutating func issue(_ bill: Bill) throws(Refusal) -> [LedgerEntry] {
        guard balances[bill.number] == nil else { throw .alreadyIssued(bill.number) }
        try Self.checkAmount(bill.chargeFen)
        guard (0...bill.chargeFen).contains(bill.waivedFen) else { throw .exceedsOutstanding(bill: bill.number, outstanding: bill.chargeFen) }
        var new = [LedgerEntry(bill: bill.number, kind: .receivable, amountFen: bill.chargeFen, at: bill.issuedAt, reference: Self.issueReference)]
        if bill.waivedFen > 0 {
            new.append(LedgerEntry(bill: bill.number, kind: .exemption, amountFen: bill.waivedFen, at: bill.issuedAt, reference: Self.issueReference))
        }
        balances[bill.number] = Balance()
        apply(new)
        return new
    }

    /// Applies a payment of one or several bills, once: a payment id seen before changes nothing.
    public mutating func pay(_ payment: String, _ amounts: [(bill: String, fen: Int)], at: Int64) throws(Refusal) -> Outcome {
        guard !references.contains(payment) else { return .alreadyApplied }
        guard !amounts.isEmpty, amounts.allSatisfy({ $0.fen > 0 }) else { throw .emptyPayment }
        for (_, fen) in amounts { try Self.checkAmount(fen) }
        var owed: [String: Int] = [:]
        for (bill, fen) in amounts {
            guard let balance = balances[bill] else { throw .unknownBill(bill) }
            let left = (owed[bill] ?? balance.outstanding) - fen
            guard left >= 0 else { throw .overpayment(bill: bill, owed: owed[bill] ?? balance.outstanding) }
            owed[bill] = left
        }
        let new = amounts.map { LedgerEntry(bill: $0.bill, kind: .received, amountFen: $0.fen, at: at, reference: payment) }
        references.insert(payment)
        apply(new)
        return .applied(new)
    }

    /// Applies money a channel has already taken, once. Unlike `pay` it cannot
    /// refuse: where a bill was settled meanwhile (through another channel), the
    /// excess is recorded as received and refunded at once, to be paid back.
    public mutating func settle(_ payment: String, _ amounts: [(bill: String, fen: Int)], at: Int64) throws(Refusal) -> Outcome {
        guard !references.contains(payment) else { return .alreadyApplied }
        guard !amounts.isEmpty, amounts.allSatisfy({ $0.fen > 0 }) else { throw .emptyPayment }
        for (_, fen) in amounts { try Self.checkAmount(fen) }
        for (bill, _) in amounts where balances[bill] == nil { throw .unknownBill(bill) }
        var new: [LedgerEntry] = []
        var owed: [String: Int] = [:]
        for (bill, fen) in amounts {
            let left = owed[bill] ?? max(0, balances[bill]!.outstanding)
            new.append(LedgerEntry(bill: bill, kind: .received, amountFen: fen, at: at, reference: payment))
            if fen > left {
                new.append(LedgerEntry(bill: bill, kind: .refund, amountFen: fen - left, at: at, reference: Self.excessReference(payment)))
            }
            owed[bill] = max(0, left - fen)
        }
        references.insert(payment)
        if new.contains(where: { $0.kind == .refund }) { references.insert(Self.excessReference(payment)) }
        apply(new)
        return .applied(new)
    }

    /// The reference of the refund `settle` writes for a payment's excess.
    public static func excessReference(_ payment: String) -> String { payment + ":excess" }

    /// Pays back part or all of what was paid on a bill. With `waive`, the same
    /// amount comes off the charge (an upheld appeal), so the bill stays settled;
    /// without, the refund returns an overpayment only.
    public mutating func refund(_ refund: String, bill: String, fen: Int, waive: Bool, at: Int64) throws(Refusal) -> Outcome {
        guard !references.contains(refund) else { return .alreadyApplied }
        try Self.checkAmount(fen)
        guard let balance = balances[bill] else { throw .unknownBill(bill) }
        guard fen <= balance.netPaid else { throw .refundExceedsPaid(bill: bill, paid: balance.netPaid) }
        var new: [LedgerEntry] = []
        if waive {
            guard fen <= balance.charged - balance.reduced else { throw .exceedsOutstanding(bill: bill, outstanding: balance.charged - balance.reduced) }
            new.append(LedgerEntry(bill: bill, kind: .discount, amountFen: fen, at: at, reference: refund))
        } else {
            guard fen <= -balance.outstanding else { throw .exceedsOutstanding(bill: bill, outstanding: balance.outstanding) }
        }
        new.append(LedgerEntry(bill: bill, kind: .refund, amountFen: fen, at: at, reference: refund))
        references.insert(refund)
        apply(new)
        return .applied(new)
    }

    /// Corrects a bill to `fen` (0 voids it), as an upheld appeal decides: the
    /// difference comes off as a discount, and what was paid beyond the new
    /// amount is refunded. A correction never raises a bill.
    public mutating func correct(_ reference: String, bill: String, to fen: Int, at: Int64) throws(Refusal) -> Outcome {
        guard !references.contains(reference) else { return .alreadyApplied }
        guard let balance = balances[bill] else { throw .unknownBill(bill) }
        let charge = balance.charged - balance.reduced
        guard fen >= 0, fen <= charge else { throw .correctionRaises(bill: bill, charge: charge) }
        let excess = max(0, balance.netPaid - fen)
        var new: [LedgerEntry] = []
        if charge > fen { new.append(LedgerEntry(bill: bill, kind: .discount, amountFen: charge - fen, at: at, reference: reference)) }
        if excess > 0 { new.append(LedgerEntry(bill: bill, kind: .refund, amountFen: excess, at: at, reference: reference)) }
        // A correction to what the bill already asks changes nothing, and leaves nothing to remember.
        if !new.isEmpty { references.insert(reference) }
        apply(new)
        return .applied(new)
    }

    /// What may be taken off a bill after issue.
    public enum Reduction: Sendable {
        case discount
        /// Arrears given up.
        case writeOff

        var kind: LedgerEntry.Kind { self == .discount ? .discount : .writeOff }
    }

    /// Takes an amount off what a bill still owes.
    public mutating func reduce(_ reference: String, bill: String, fen: Int, as reduction: Reduction, at: Int64) throws(Refusal) -> Outcome {
        guard !references.contains(reference) else { return .alreadyApplied }
        try Self.checkAmount(fen)
        guard let balance = balances[bill] else { throw .unknownBill(bill) }
        guard fen <= balance.outstanding else { throw .exceedsOutstanding(bill: bill, outstanding: balance.outstanding) }
        let new = [LedgerEntry(bill: bill, kind: reduction.kind, amountFen: fen, at: at, reference: reference)]
        references.insert(reference)
        apply(new)
        return .applied(new)
    }

    private mutating func apply(_ new: [LedgerEntry]) {
        for entry in new {
            switch entry.kind {
            case .receivable: balances[entry.bill]!.charged += entry.amountFen
            case .discount, .exemption, .writeOff: balances[entry.bill]!.reduced += entry.amountFen
            case .received: balances[entry.bill]!.received += entry.amountFen
            case .refund: balances[entry.bill]!.refunded += entry.amountFen
            }
        }
        entries += new
    }
}
