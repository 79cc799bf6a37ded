import CurbsideCore
import CurbsideTestThreads
import PropertyBased
import Testing

/// Random runs of issues, payments (some repeated, some too large), money a
/// channel took after the bill was settled, refunds, corrections, discounts and write-offs
/// against the ledger: nothing is paid twice, no balance goes negative, every
/// balance is the sum of its entries, and the stored entries rebuild the ledger.
@Suite("Ledger: properties", .ownThread)
struct LedgerPropertyTests {
    static func bill(_ number: String, charge: Int, waived: Int) -> Bill {
        Bill(
            number: number, sessionID: number, bay: "10010019", zoneID: "SP1", plate: "粤J12345", plateColour: .blue, start: 0, end: 1,
            tariffID: "heshan", tariffVersion: 1, vehicle: .small, chargeFen: charge, waivedFen: waived, basis: waived > 0 ? .permit : .charged,
            permitID: nil, lines: [], evidence: [], issuedAt: 0, dueAt: 1
        )
    }

    /// Runs the operations each number stands for, checking the rules after every one.
    static func run(_ operations: [Int]) throws {
        var ledger = Ledger()
        var payments: [String] = []
        var issued: [String] = []
        for (step, code) in operations.enumerated() {
            let kind = code % 8
            let amount = (code / 8) % 4_000 + 1
            let bill = issued.isEmpty ? "B0" : issued[(code / 24_000) % issued.count]
            let before = ledger
            let outcome: Ledger.Outcome?
            do {
                switch kind {
                case 0:
                    let number = "B\(issued.count)"
                    let charge = amount
                    _ = try ledger.issue(Self.bill(number, charge: charge, waived: code % 5 == 0 ? charge : 0))
                    issued.append(number)
                    outcome = nil
                case 1, 2:
                    let id = "P\(step)"
                    outcome = try ledger.pay(id, [(bill, amount)], at: Int64(step))
                    payments.append(id)
                case 3:
                    // A notification seen before, repeated.
                    guard let id = payments.last else { continue }
                    outcome = try ledger.pay(id, [(bill, amount)], at: Int64(step))
                    #expect(outcome == .alreadyApplied)
                case 6:
                    let id = "S\(step)"
                    outcome = try ledger.settle(id, [(bill, amount)], at: Int64(step))
                    payments.append(id)
                case 7:
                    // An upheld appeal, correcting the bill to some amount it may or may not allow.
                    let charge = ledger.balance(bill).map { $0.charged - $0.reduced } ?? 0
                    outcome = try ledger.correct("A\(step)", bill: bill, to: code % 3 == 0 ? 0 : amount % (charge + 2), at: Int64(step))
                    if case .applied = outcome {
                        let after = try #require(ledger.balance(bill))
                        #expect(after.charged - after.reduced <= charge)
                        #expect(after.netPaid <= after.charged - after.reduced, "\(bill) keeps more than its corrected charge")
                    }
                case 4:
                    outcome = try ledger.refund("R\(step)", bill: bill, fen: amount, waive: code % 4 == 0, at: Int64(step))
                default:
                    outcome = try ledger.reduce("D\(step)", bill: bill, fen: amount, as: code % 2 == 0 ? .discount : .writeOff, at: Int64(step))
                }
            } catch {
                // A refused operation changes nothing.
                #expect(ledger == before, "step \(step): \(error) left a trace")
                continue
            }
            if outcome == .alreadyApplied { #expect(ledger == before) }
            try check(ledger, bills: issued)
        }
    }

    static func check(_ ledger: Ledger, bills: [String]) throws {
        for bill in bills {
            let balance = try #require(ledger.balance(bill))
            let entries = ledger.entries.filter { $0.bill == bill }
            func sum(_ kinds: LedgerEntry.Kind...) -> Int { entries.filter { kinds.contains($0.kind) }.reduce(0) { $0 + $1.amountFen } }
            #expect(balance.outstanding == sum(.receivable) - sum(.discount, .exemption, .writeOff) - sum(.received) + sum(.refund))
            #expect(balance.outstanding >= 0, "\(bill) owes \(balance.outstanding)")
            #expect(balance.netPaid >= 0, "\(bill) refunded more than paid")
            #expect(sum(.received) - sum(.refund) <= sum(.receivable), "\(bill) kept more than it charged")
        }
        #expect(ledger.entries.allSatisfy { $0.amountFen > 0 })
        let received = ledger.entries.filter { $0.kind == .received }
        // One payment may cover several bills, each once: a pair seen twice is a payment applied twice.
        #expect(Set(received.map { "\($0.reference) \($0.bill)" }).count == received.count, "a payment was applied twice")
        #expect(Ledger(entries: ledger.entries) == ledger, "the entries do not rebuild the ledger")
    }

    @Test("Nothing is paid twice, no balance goes negative, the ledger always balances")
    func invariants() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000_000).array(of: 1...80)) { operations in
            try Self.run(operations)
        }
    }

    @Test("One payment covers several bills; a refund with a waiver keeps the bill settled")
    func example() throws {
        var ledger = Ledger()
        _ = try ledger.issue(Self.bill("A", charge: 600, waived: 0))
        _ = try ledger.issue(Self.bill("B", charge: 400, waived: 0))
        _ = try ledger.issue(Self.bill("C", charge: 900, waived: 900))
        #expect(ledger.balance("C")?.outstanding == 0)
        #expect(throws: Ledger.Refusal.overpayment(bill: "B", owed: 400)) { try ledger.pay("P1", [("A", 600), ("B", 500)], at: 1) }
        #expect(try ledger.pay("P1", [("A", 600), ("B", 400)], at: 1) != .alreadyApplied)
        #expect(try ledger.pay("P1", [("A", 600), ("B", 400)], at: 2) == .alreadyApplied)
        #expect(ledger.balance("A")?.outstanding == 0)
        #expect(throws: Ledger.Refusal.refundExceedsPaid(bill: "A", paid: 600)) { try ledger.refund("R1", bill: "A", fen: 700, waive: true, at: 3) }
        #expect(throws: Ledger.Refusal.exceedsOutstanding(bill: "A", outstanding: 0)) { try ledger.refund("R1", bill: "A", fen: 100, waive: false, at: 3) }
        _ = try ledger.refund("R1", bill: "A", fen: 200, waive: true, at: 3)
        #expect(ledger.balance("A") == Ledger.Balance(charged: 600, reduced: 200, received: 600, refunded: 200))
        #expect(ledger.balance("A")?.outstanding == 0)
    }

    @Test("Money taken for a bill settled meanwhile is received and refunded at once")
    func settleAfterSettled() throws {
        var ledger = Ledger()
        _ = try ledger.issue(Self.bill("A", charge: 600, waived: 0))
        _ = try ledger.pay("CASH1", [("A", 600)], at: 1)
        guard case let .applied(entries) = try ledger.settle("WX1", [("A", 600)], at: 2) else { Issue.record("not applied"); return }
        #expect(entries.map(\.kind) == [.received, .refund])
        #expect(entries.last?.reference == Ledger.excessReference("WX1"))
        #expect(ledger.balance("A") == Ledger.Balance(charged: 600, received: 1_200, refunded: 600))
        #expect(try ledger.settle("WX1", [("A", 600)], at: 3) == .alreadyApplied)
    }
}
