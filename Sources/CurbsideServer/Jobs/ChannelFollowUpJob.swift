/// Asks the channels about silent orders, closes expired ones, and sends refunds back.
struct ChannelFollowUpJob: PeriodicJob {
    let followUp: ChannelFollowUp
    static let perRound = 50

    var name: String { "channel follow-up" }
    var pauseAfterFailure: Duration { .seconds(15) }

    func round(now: Int64) async throws -> JobPause {
        let round = try await followUp.runOnce(now: now, limit: Self.perRound)
        // A full batch of either means more are due.
        return round.checked < Self.perRound && round.refundsSent < Self.perRound ? .after(.seconds(5)) : .none
    }
}
