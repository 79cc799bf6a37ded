import CurbsideCore
import CurbsideStore
import Foundation
import Logging
import Metrics
import AsyncHTTPClient
import Vapor

/// The work a server does besides answering requests: folding new device
/// events into sessions, marking silent devices offline, issuing bills,
/// moving unpaid ones along the arrears ladder, alerting patrol to repeat
/// offenders, and sending notices. Every instance runs all of them; the database
/// decides who does which piece.
final class BackgroundJobs: LifecycleHandler, @unchecked Sendable {
    let doorbell = Doorbell()
    private let lock = NSLock()
    private var tasks: [Task<Void, Never>] = []

    func start(
        app: Application, configuration: CurbsideConfiguration, store: Store, tariffs: TariffBook, notifier: any Notifier, clock: @escaping @Sendable () -> Date
    ) {
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
        let billing = CurbsideApp.billingRun(app.db, configuration, store: store, tariffs: tariffs)
        let issued = Counter(label: "curbside_bills_issued_total")
        let bills = Task {
            while !Task.isCancelled {
                do {
                    let round = try await billing.runOnce(now: Self.millis(clock()))
                    issued.increment(by: round.issued)
                    // A full round means more are waiting.
                    if round.examined < 200 { try? await Task.sleep(for: .seconds(10)) }
                } catch {
                    logger.error("billing round failed", metadata: ["error": "\(String(reflecting: error))"])
                    try? await Task.sleep(for: .seconds(10))
                }
            }
        }
        let ladder = CurbsideApp.arrearsRun(app.db, configuration, store: store)
        let arrears = Task {
            while !Task.isCancelled {
                do {
                    if try await ladder.runOnce(now: Self.millis(clock())).examined < 500 { try? await Task.sleep(for: .seconds(60)) }
                } catch {
                    logger.error("arrears round failed", metadata: ["error": "\(String(reflecting: error))"])
                    try? await Task.sleep(for: .seconds(60))
                }
            }
        }
        let offenders = Alerts(store: store, database: app.db, threshold: configuration.alertArrearsFen)
        let alerts = Task {
            while !Task.isCancelled {
                do {
                    try await offenders.runOnce(now: Self.millis(clock()))
                } catch {
                    logger.error("alert round failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: .seconds(5))
            }
        }
        let dispatcher = NoticeDispatcher(outbox: NoticeOutbox(store: store, database: app.db), notifier: notifier)
        let pending = Gauge(label: "curbside_notices_pending")
        let notices = Task {
            while !Task.isCancelled {
                do {
                    let now = Self.millis(clock())
                    if try await dispatcher.runOnce(now: now) == 0 { try? await Task.sleep(for: .seconds(5)) }
                    pending.record(try await dispatcher.outbox.pending())
                } catch {
                    logger.error("notice dispatch failed", metadata: ["error": "\(String(reflecting: error))"])
                    try? await Task.sleep(for: .seconds(5))
                }
            }
        }
        var all = [fusion, health, bills, arrears, alerts, notices]
        if let settings = configuration.cityFeed {
            let outbox = FeedOutbox(store: store, database: app.db)
            all.append(cityFeed(CityFeedDispatcher(outbox: outbox, settings: settings, client: HTTPClient.shared), clock: clock, logger: logger))
            all.append(cityOccupancy(outbox, every: settings.occupancyInterval, freshness: configuration.deviceOfflineAfter, clock: clock, logger: logger))
        }
        lock.withLock { tasks = all }
    }

    /// Sends the feed as records come: a quarter of a second's wait when there is nothing to send,
    /// none while batches go through; sent records are dropped after the 31 days the city asks for.
    private func cityFeed(_ dispatcher: CityFeedDispatcher, clock: @escaping @Sendable () -> Date, logger: Logger) -> Task<Void, Never> {
        let backlog = Gauge(label: "curbside_city_feed_backlog")
        let sent = Counter(label: "curbside_city_feed_records_sent_total")
        return Task {
            var lastPurge: Int64 = 0
            var lastGauge: Int64 = 0
            var wasFailing = false
            while !Task.isCancelled {
                do {
                    let now = Self.millis(clock())
                    switch try await dispatcher.runOnce(now: now) {
                    case let .sent(count):
                        sent.increment(by: count)
                        if wasFailing { logger.notice("the city platform takes the feed again") }
                        wasFailing = false
                        continue
                    case let .failed(reason):
                        if !wasFailing { logger.warning("the city platform does not take the feed; retrying with back-off", metadata: ["error": "\(reason)"]) }
                        wasFailing = true
                    case .idle:
                        break
                    }
                    if now - lastGauge >= 15_000 {
                        backlog.record(try await dispatcher.outbox.backlog())
                        lastGauge = now
                    }
                    if now - lastPurge >= 3_600_000 {
                        try await dispatcher.outbox.purge(sentBefore: now - 31 * 86_400_000)
                        lastPurge = now
                    }
                } catch {
                    logger.error("city feed round failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// Queues road segments' occupied and free counts where they changed, and every segment's at
    /// least every ten minutes, so the platform's picture cannot drift from a record it lost.
    private func cityOccupancy(
        _ outbox: FeedOutbox, every interval: Int64, freshness: Int64, clock: @escaping @Sendable () -> Date, logger: Logger
    ) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                do {
                    try await outbox.publishOccupancy(now: Self.millis(clock()), freshness: freshness)
                } catch {
                    logger.error("city feed occupancy round failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: .milliseconds(interval))
            }
        }
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
