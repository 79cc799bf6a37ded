import CurbsideCore
import CurbsideTestThreads
import PropertyBased
import Testing

@Suite("Arrears ladder", .ownThread)
struct ArrearsLadderTests {
    static let day: Int64 = 86_400_000
    let ladder = ArrearsLadder(reminderDays: [7, 21], makeUpDays: 30, finalNoticeDays: 15, referAfterDays: 15)

    @Test("A bill due in 30 days: reminders, make-up at 30 d, final notice at 60 d, overdue at 75 d, referred at 90 d")
    func beijing() {
        let issued: Int64 = 1_000 * Self.day
        let due = issued + 30 * Self.day
        func at(_ days: Int64, _ ms: Int64 = 0) -> ArrearsLadder.Stage { ladder.stage(issuedAt: issued, dueAt: due, now: issued + days * Self.day + ms) }
        #expect(at(0) == .paymentWindow && at(29) == .paymentWindow)
        #expect(at(30) == .makeUp && at(59) == .makeUp)
        #expect(at(60) == .finalNotice && at(75, -1) == .finalNotice)
        #expect(at(75) == .overdue && at(90) == .referred && at(400) == .referred)
        #expect(ladder.due(issuedAt: issued, dueAt: due, now: issued + 8 * Self.day).steps == [.reminder(1)])
        #expect(ladder.due(issuedAt: issued, dueAt: due, now: issued + 8 * Self.day).next == issued + 21 * Self.day)
        #expect(ladder.due(issuedAt: issued, dueAt: due, now: issued + 90 * Self.day).next == nil)
        // A reminder after the due date would come too late: it is left out.
        let short = ArrearsLadder(reminderDays: [7, 40])
        #expect(short.schedule(issuedAt: issued, dueAt: due).map(\.step.description) == ["reminder_1", "make_up", "final_notice", "overdue", "referred"])
    }

    @Test("Stages only move forward, and the steps due grow with time")
    func monotonic() async {
        await propertyCheck(input: Gen.int(in: 0...200), Gen.int(in: 0...200)) { a, b in
            let issued: Int64 = 0
            let due = 30 * Self.day
            let (early, late) = (Int64(min(a, b)) * Self.day / 2, Int64(max(a, b)) * Self.day / 2)
            #expect(ladder.stage(issuedAt: issued, dueAt: due, now: early) <= ladder.stage(issuedAt: issued, dueAt: due, now: late))
            let before = ladder.due(issuedAt: issued, dueAt: due, now: early).steps
            let after = ladder.due(issuedAt: issued, dueAt: due, now: late).steps
            #expect(Array(after.prefix(before.count)) == before)
        }
    }
}
