import CurbsideCore
import CurbsideTestThreads
import PropertyBased
import Testing

/// The ledger's arithmetic at the edges of Int: every amount a request could
/// carry (Int.min to Int.max, the ceiling and either side of it) goes into
/// every operation. Nothing traps; whatever is refused leaves the ledger as
/// it was; nothing over the ceiling is ever stored; and the sums a report
/// makes of what is stored cannot overflow.
@Suite("Money at the extremes: properties", .ownThread)
struct MoneyExtremesPropertyTests {
    static let extremes = [
        Int.min, Int.min + 1, -Ledger.maxEntryFen - 1, -1, 0, 1, 99, Ledger.cashExcessFen, Ledger.maxEntryFen - 1, Ledger.maxEntryFen,
        Ledger.maxEntryFen + 1, Int.max / 2, Int.max / 2 + 1, Int.max - 1, Int.max,
    ]

    /// An amount: one of the extremes half the time, else anything at all.
    static var amount: Generator<Int, AnySequence<(index: Int, value: Any)>> {
        Gen.oneOf(Gen<Int?>.element(of: extremes).map { $0! }, Gen.int())
    }

    static func run(_ steps: [(kind: Int, amount: Int, second: Int)]) throws {
        var ledger = Ledger()
        var issued: [String] = []
        for (index, step) in steps.enumerated() {
            let bill = issued.isEmpty ? "B0" : issued[abs(step.second % issued.count)]
            // A second line, for another bill where there is one (one payment names a bill once).
            let other = issued.first { $0 != bill }
            let lines = other.map { [(bill: bill, fen: step.amount), (bill: $0, fen: step.second)] } ?? [(bill: bill, fen: step.amount)]
            let before = ledger
            do {
                switch step.kind % 8 {
                case 0:
                    let waived = step.second % 3 == 0 ? step.amount : step.second
                    _ = try ledger.issue(LedgerPropertyTests.bill("B\(issued.count)", charge: step.amount, waived: waived))
                    issued.append("B\(issued.count)")
                case 1:
                    _ = try ledger.pay("P\(index)", lines, at: Int64(index))
                case 2:
                    _ = try ledger.settle("S\(index)", lines, at: Int64(index))
                case 3:
                    _ = try ledger.refund("R\(index)", bill: bill, fen: step.amount, waive: step.second % 2 == 0, at: Int64(index))
                case 4:
                    _ = try ledger.correct("C\(index)", bill: bill, to: step.amount, at: Int64(index))
                case 5:
                    _ = try ledger.reduce("D\(index)", bill: bill, fen: step.amount, as: step.second % 2 == 0 ? .discount : .writeOff, at: Int64(index))
                case 6:
                    try ledger.checkCash(lines)
                    _ = try ledger.settle("K\(index)", lines, at: Int64(index))
                default:
                    try ledger.checkCash([(bill, step.amount)])
                }
            } catch {
                #expect(ledger == before, "step \(index): \(error) left a trace")
                continue
            }
            try LedgerPropertyTests.check(ledger, bills: issued)
        }
        #expect(ledger.entries.allSatisfy { (0...Ledger.maxEntryFen).contains($0.amountFen) }, "an entry beyond the ceiling was stored")
        // What a report does with them: sum every entry, every way, without overflow.
        var total = 0
        for entry in ledger.entries {
            let (sum, overflow) = total.addingReportingOverflow(entry.amountFen)
            #expect(!overflow)
            total = sum
        }
    }

    @Test("No amount traps, none beyond the ceiling is stored, refusals change nothing, sums never overflow")
    func extremes() async {
        let step = zip(Gen.int(in: 0...7), Self.amount, Self.amount).map { (kind: $0.0, amount: $0.1, second: $0.2) }
        await propertyCheck(count: 400, input: step.array(of: 1...60)) { steps in
            try Self.run(steps)
        }
    }

    @Test("Cash is bounded by what the bill asked for and ¥100, summed per bill")
    func cashCeiling() throws {
        var ledger = Ledger()
        _ = try ledger.issue(LedgerPropertyTests.bill("A", charge: 600, waived: 0))
        try ledger.checkCash([("A", 600 + Ledger.cashExcessFen)])
        #expect(throws: Ledger.Refusal.cashExceedsBill(bill: "A", limit: 600 + Ledger.cashExcessFen)) {
            try ledger.checkCash([("A", 600), ("A", Ledger.cashExcessFen + 1)])
        }
        #expect(throws: Ledger.Refusal.tooLarge(limit: Ledger.maxEntryFen)) { try ledger.checkCash([("A", Int.max)]) }
        #expect(throws: Ledger.Refusal.notPositive) { try ledger.checkCash([("A", Int.min)]) }
        #expect(throws: Ledger.Refusal.unknownBill("Z")) { try ledger.checkCash([("Z", 1)]) }
    }
}
