import CurbsideCore
import CurbsideServer
import CurbsideStore
import Foundation
import Vapor

/// The background jobs' rounds, run by the demo one after another: the same
/// fusion, billing, notice, channel follow-up and statement code `serve`
/// runs on its own.
struct DemoJobs: Sendable {
    let app: Application
    let configuration: CurbsideConfiguration
    let store: Store
    let clock: DemoClock

    var now: Int64 { clock.milliseconds }

    /// Folds every queued batch of events into sessions.
    func fuse() async throws {
        let processor = FusionProcessor(store: store, database: app.db, rules: configuration.ingest.fusion)
        while try await processor.runOnce(now: now).batches > 0 {}
    }

    /// Bills every session that has settled; returns the rounds' totals.
    func bill() async throws -> BillingRun.Round {
        let run = try await CurbsideApp.billingRun(app, configuration, store: store)
        var total = BillingRun.Round()
        while true {
            let round = try await run.runOnce(now: now)
            total.issued += round.issued
            total.noBill.merge(round.noBill, uniquingKeysWith: +)
            if round.examined == 0 { return total }
        }
    }

    /// One round of the channel follow-up at `instant` (milliseconds): silent orders asked about, refunds sent.
    func followUp(at instant: Int64) async throws -> ChannelFollowUp.Round {
        let clock = clock
        return try await CurbsideApp.channelFollowUp(app.db, configuration, store: store, clock: { clock.now }).runOnce(now: instant)
    }

    /// One round of the non-stop payment job now.
    func autoPay() async throws -> AutoPayRun.Round {
        let clock = clock
        return try await CurbsideApp.autoPayRun(app.db, configuration, store: store, clock: { clock.now }).runOnce(now: now)
    }

    /// The invoices job's rounds until none is due, each an hour after the last (its back-off is at most an hour); returns
    /// the last round's instant (milliseconds).
    func invoices() async throws -> Int64 {
        let clock = clock
        let run = try CurbsideApp.invoiceRun(app.db, configuration, store: store, clock: { clock.now })
        var instant = now
        while instant < now + 8 * Milliseconds.hour, try await run.runOnce(now: instant).claimed > 0 { instant += Milliseconds.hour }
        return instant
    }

    /// One round of the statement job at `instant` (milliseconds).
    func statements(at instant: Int64) async throws -> StatementReconciler.Round {
        let clock = clock
        return try await CurbsideApp.statementReconciler(app.db, configuration, store: store, clock: { clock.now }).runOnce(now: instant)
    }

    /// Sends the notice outbox, now or at `instant` (milliseconds); returns how many went out.
    func sendNotices(at instant: Int64? = nil) async throws -> Int {
        var sent = 0
        while case let batch = try await CurbsideApp.dispatchNotices(app, configuration, store: store, now: instant ?? now), batch > 0 { sent += batch }
        return sent
    }
}
