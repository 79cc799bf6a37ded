import CurbsideStore

/// Folds the ledger's report deltas into the day sums, so a report reads few
/// rows however many payments came since; reports are exact either way.
struct ReportSumsJob: PeriodicJob {
    let rollups: ReportRollups

    var name: String { "report sums" }
    var pauseAfterFailure: Duration { .seconds(15) }

    func round(now: Int64) async throws -> JobPause {
        let taken = try await rollups.consolidate(limit: 10_000)
        return taken == 10_000 ? .none : .after(.seconds(30))
    }
}
