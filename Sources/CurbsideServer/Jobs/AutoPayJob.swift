/// Enters parked cars with WeChat Pay's parking service and asks for each due deduction.
struct AutoPayJob: PeriodicJob {
    let run: AutoPayRun
    static let perRound = 50

    var name: String { "non-stop payment" }
    var pauseAfterFailure: Duration { .seconds(15) }

    func round(now: Int64) async throws -> JobPause {
        let round = try await run.runOnce(now: now, limit: Self.perRound)
        // A full batch of either means more are due.
        return round.entered < Self.perRound && round.asked < Self.perRound ? .after(.seconds(5)) : .none
    }
}
