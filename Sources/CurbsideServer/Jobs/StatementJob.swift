/// Downloads and reconciles the channels' statements of yesterday.
struct StatementJob: PeriodicJob {
    let reconciler: StatementReconciler

    var name: String { "statements" }
    var pauseAfterFailure: Duration { .seconds(60) }

    func round(now: Int64) async throws -> JobPause {
        _ = try await reconciler.runOnce(now: now)
        return .after(.seconds(60))
    }
}
