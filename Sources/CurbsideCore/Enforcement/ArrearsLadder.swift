/// The steps an unpaid bill goes through, as the city sets them (seed 004;
/// Beijing's app shows payment window, make-up period, about to be overdue,
/// overdue). Every step is a time after the bill's issue or due date, so
/// where a bill stands follows from the clock alone: the job that moves bills
/// along can run late, twice, or on several servers at once and still agree.
public struct ArrearsLadder: Sendable, Equatable {
    public enum Stage: String, Sendable, Codable, CaseIterable, Comparable {
        /// Issued, not yet due.
        case paymentWindow = "payment_window"
        /// Past due: the make-up period (补缴期), still payable without consequence.
        case makeUp = "make_up"
        /// The last notice before the bill is overdue.
        case finalNotice = "final_notice"
        /// Overdue: no more notices; the plate's arrears count for repeat-offender alerts.
        case overdue
        /// Referred to enforcement (traffic police, credit record) in a case.
        case referred

        public static func < (lhs: Stage, rhs: Stage) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// One step of the ladder for one bill.
    public enum Step: Sendable, Equatable, Hashable, CustomStringConvertible {
        /// The n-th reminder (from 1) inside the payment window.
        case reminder(Int)
        case stage(Stage)

        public var description: String {
            switch self {
            case let .reminder(n): "reminder_\(n)"
            case let .stage(stage): stage.rawValue
            }
        }

        /// Whether the citizen is sent a notice for it.
        public var notifies: Bool {
            switch self {
            case .reminder, .stage(.makeUp), .stage(.finalNotice): true
            case .stage: false
            }
        }
    }

    /// Days after issue on which reminders go out, while the bill is not yet due.
    public var reminderDays: [Int]
    /// Days from the due date to the final notice.
    public var makeUpDays: Int
    /// Days from the final notice to overdue.
    public var finalNoticeDays: Int
    /// Days from overdue to referral to enforcement.
    public var referAfterDays: Int

    public init(reminderDays: [Int] = [7, 21], makeUpDays: Int = 30, finalNoticeDays: Int = 15, referAfterDays: Int = 15) {
        self.reminderDays = reminderDays.sorted()
        self.makeUpDays = makeUpDays
        self.finalNoticeDays = finalNoticeDays
        self.referAfterDays = referAfterDays
    }

    /// Every step with its time (UTC ms), in order, for a bill issued at `issuedAt` and due at `dueAt`.
    public func schedule(issuedAt: Int64, dueAt: Int64) -> [(step: Step, at: Int64)] {
        let reminders = reminderDays.enumerated().map { (Step.reminder($0.offset + 1), issuedAt + Int64($0.element) * Milliseconds.day) }.filter { $0.1 < dueAt }
        let finalAt = dueAt + Int64(makeUpDays) * Milliseconds.day
        let overdueAt = finalAt + Int64(finalNoticeDays) * Milliseconds.day
        return reminders + [
            (.stage(.makeUp), dueAt), (.stage(.finalNotice), finalAt), (.stage(.overdue), overdueAt),
            (.stage(.referred), overdueAt + Int64(referAfterDays) * Milliseconds.day),
        ]
    }

    /// The steps due by `now`, and when the next one falls (nil once referred).
    public func due(issuedAt: Int64, dueAt: Int64, now: Int64) -> (steps: [Step], next: Int64?) {
        let schedule = schedule(issuedAt: issuedAt, dueAt: dueAt)
        return (schedule.filter { $0.at <= now }.map(\.step), schedule.first { $0.at > now }?.at)
    }

    /// Where a bill stands at `now`.
    public func stage(issuedAt: Int64, dueAt: Int64, now: Int64) -> Stage {
        due(issuedAt: issuedAt, dueAt: dueAt, now: now).steps.reduce(Stage.paymentWindow) { stage, step in
            if case let .stage(reached) = step { return max(stage, reached) }
            return stage
        }
    }
}
