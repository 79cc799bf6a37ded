/// Sends requested e-invoices to their providers, follows them until issued, and reverses those whose money changed.
struct InvoiceJob: PeriodicJob {
    let run: InvoiceRun
    static let perRound = 50

    var name: String { "invoices" }
    var pauseAfterFailure: Duration { .seconds(15) }

    func round(now: Int64) async throws -> JobPause {
        let round = try await run.runOnce(now: now, limit: Self.perRound)
        // A full batch means more are due.
        return round.claimed < Self.perRound ? .after(.seconds(5)) : .none
    }
}
