import CurbsideStore
import Metrics

/// Folds stored batches' events into sessions, as soon as a batch is stored.
struct FusionJob: PeriodicJob {
    let processor: FusionProcessor
    /// On SQLite a round holds the one write lock that batches wait for, so rounds are kept short there.
    let batchesPerRound: Int
    let sessionsWritten = Counter(label: "curbside_sessions_written_total")
    let corrections = Counter(label: "curbside_session_corrections_total")

    var name: String { "fusion" }
    var pauseAfterFailure: Duration { .seconds(1) }

    init(processor: FusionProcessor, store: Store) {
        self.processor = processor
        batchesPerRound = store.kind == .sqlite ? 8 : 32
    }

    func round(now: Int64) async throws -> JobPause {
        let round = try await processor.runOnce(batches: batchesPerRound, now: now)
        sessionsWritten.increment(by: round.sessionsWritten)
        corrections.increment(by: round.corrections)
        if round.batches == 0 { return .untilRung(.seconds(1)) }
        // Nothing could be folded now (a registry change holds fusion off, or other servers have these bays): wait a moment rather than spin.
        if round.bays == 0 && round.deferred > 0 { return .after(.milliseconds(200)) }
        return .none
    }
}
