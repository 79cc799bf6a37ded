import CurbsideStore

/// Folds the report's deltas (the ledger's and the stays') into the day sums,
/// and the CDS aggregates' into the segments' quarter sums, so a report reads
/// few rows however many payments and stays came since; reports are exact
/// either way.
struct ReportSumsJob: PeriodicJob {
    let ledger: ReportRollups
    let stays: StayRollups
    let quarters: SegmentQuarters

    var name: String { "report sums" }
    var pauseAfterFailure: Duration { .seconds(15) }

    func round(now: Int64) async throws -> JobPause {
        let money = try await ledger.consolidate(limit: 10_000)
        let operating = try await stays.consolidate(limit: 10_000)
        let metrics = try await quarters.consolidate(limit: 10_000)
        return money == 10_000 || operating >= 10_000 || metrics == 10_000 ? .none : .after(.seconds(30))
    }
}
