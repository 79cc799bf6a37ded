/// One kind of background work, done in rounds for as long as the server runs.
/// Every instance runs every job; the database decides who does which piece.
protocol PeriodicJob: Sendable {
    /// Names the job in the log.
    var name: String { get }
    /// How long to wait after a round that failed before trying again.
    var pauseAfterFailure: Duration { get }
    /// Does one round of work at `now` (milliseconds since 1970) and says when to start the next.
    mutating func round(now: Int64) async throws -> JobPause
}

/// When a job's next round starts.
enum JobPause: Sendable, Equatable {
    /// At once: there is more to do.
    case none
    case after(Duration)
    /// As soon as new work is announced (the doorbell), or after the duration at the latest.
    case untilRung(Duration)
}
