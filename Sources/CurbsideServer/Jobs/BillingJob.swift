import CurbsideStore
import Metrics

/// Issues bills for ended sessions once they have settled.
struct BillingJob: PeriodicJob {
    let billing: BillingRun
    let issued = Counter(label: "curbside_bills_issued_total")
    static let perRound = 200

    var name: String { "billing" }
    var pauseAfterFailure: Duration { .seconds(10) }

    func round(now: Int64) async throws -> JobPause {
        let round = try await billing.runOnce(now: now, limit: Self.perRound)
        issued.increment(by: round.issued)
        // A full round means more are waiting.
        return round.examined < Self.perRound ? .after(.seconds(10)) : .none
    }
}
