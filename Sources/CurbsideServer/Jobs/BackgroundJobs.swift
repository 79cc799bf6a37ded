import CurbsideCore
import CurbsideStore
import Foundation
import Logging
import Metrics
import Vapor

/// The work a server does besides answering requests: folding new device
/// events into sessions, and marking silent devices offline. Every instance
/// runs both; the database decides who does which piece.
final class BackgroundJobs: LifecycleHandler, @unchecked Sendable {
    let doorbell = Doorbell()
    private let lock = NSLock()
    private var tasks: [Task<Void, Never>] = []

    func start(app: Application, configuration: CurbsideConfiguration, store: Store, clock: @escaping @Sendable () -> Date) {
        let logger = Logger(label: "curbside.jobs")
        let processor = FusionProcessor(store: store, database: app.db, rules: configuration.fusionRules)
        let devices = DeviceRegistry(store: store, database: app.db)
        let doorbell = doorbell
        let sessionsWritten = Counter(label: "curbside_sessions_written_total")
        let corrections = Counter(label: "curbside_session_corrections_total")
        // On SQLite a round holds the one write lock that batches wait for, so rounds are kept short there.
        let roundSize = store.kind == .sqlite ? 8 : 32
        let fusion = Task {
            while !Task.isCancelled {
                do {
                    let round = try await processor.runOnce(batches: roundSize, now: Self.millis(clock()))
                    sessionsWritten.increment(by: round.sessionsWritten)
                    corrections.increment(by: round.corrections)
                    if round.batches == 0 { await doorbell.wait(timeout: .seconds(1)) }
                } catch {
                    logger.error("fusion round failed", metadata: ["error": "\(String(reflecting: error))"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
        let offline = Gauge(label: "curbside_devices_offline")
        let queue = Gauge(label: "curbside_ingest_queue_batches")
        let health = Task {
            while !Task.isCancelled {
                do {
                    let now = Self.millis(clock())
                    let lost = try await devices.markOffline(offlineAfter: configuration.deviceOfflineAfter, now: now)
                    if !lost.isEmpty { logger.warning("devices went silent", metadata: ["devices": "\(lost.joined(separator: ","))"]) }
                    offline.record(try await devices.offlineCount())
                    queue.record(try await SessionQueries(database: app.db).queuedBatches())
                } catch {
                    logger.error("device health check failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: .seconds(15))
            }
        }
        lock.withLock { tasks = [fusion, health] }
    }

    /// Stops the jobs, waiting for a round in progress to finish, but not for
    /// ever: a query on a connection the database has dropped may never answer,
    /// and shutting down must not hang on it. An unfinished round's transaction
    /// is rolled back by the database, and its bays stay queued.
    func shutdownAsync(_ application: Application) async {
        let running = lock.withLock { tasks }
        for task in running { task.cancel() }
        await doorbell.ring()
        let stopped = await FirstOf.run(
            { for task in running { await task.value }; return true },
            { try? await Task.sleep(for: .seconds(10)); return false }
        )
        if !stopped {
            application.logger.warning("background jobs did not stop within 10 s; shutting down without them")
        }
    }

    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }
}
