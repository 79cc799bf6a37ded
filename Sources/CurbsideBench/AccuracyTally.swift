import Foundation

/// The bench's verdict on one store.
struct AccuracyTally: CustomStringConvertible {
    var bills = 0
    /// Bills for stays still open at the end of their simulated day.
    var unscored = 0
    var billable = 0
    var right = 0
    var wrongAmount = 0
    var lost = 0
    var billedTwice = 0
    var strangers = 0
    var strangersOnDetectorBays = 0
    /// Stays the devices could not tell the plate of (outage, no plate, unreadable): no bill, patrol's to settle.
    var held = 0
    var billedThoughHeld = 0
    /// Stays inside the free period.
    var free = 0
    var refused = 0
    var resent = 0
    var timing = ""
    /// Every stay not billed right, in words, for a look with --examples.
    var examples: [String] = []

    var rightShare: Double { billable == 0 ? 1 : Double(right) / Double(billable) }
    var meetsGoal: Bool { rightShare >= 0.999 && billedTwice == 0 && strangersOnDetectorBays == 0 }

    var description: String {
        """
        \(bills) bills (\(unscored) for stays open at the end of their day, not scored); of \(billable) billable stays \(right) right (\(String(format: "%.3f", rightShare * 100)) %), \
        \(wrongAmount) wrong amount, \(lost) lost, \(billedTwice) billed twice; \(strangers) strangers billed \
        (\(strangersOnDetectorBays) on detector bays); \(held) held for patrol (\(billedThoughHeld) billed anyway), \(free) free; \
        gateway: \(refused) events refused, \(resent) re-sent under a new id; \(timing) — goal \(meetsGoal ? "met" : "NOT met")
        """
    }
}
