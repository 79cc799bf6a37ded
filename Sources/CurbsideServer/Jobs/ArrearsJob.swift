import CurbsideStore

/// Moves unpaid bills along the arrears ladder.
struct ArrearsJob: PeriodicJob {
    let ladder: ArrearsRun
    static let perRound = 500

    var name: String { "arrears" }
    var pauseAfterFailure: Duration { .seconds(60) }

    func round(now: Int64) async throws -> JobPause {
        // A full round means more are waiting.
        try await ladder.runOnce(now: now, limit: Self.perRound).examined < Self.perRound ? .after(.seconds(60)) : .none
    }
}
