import AsyncHTTPClient
import CurbsideCore
import CurbsideStore
import Foundation
import Logging
import ServiceLifecycle
import Vapor

/// The work a server does besides answering requests: folding new device
/// events into sessions, marking silent devices offline, issuing bills,
/// moving unpaid ones along the arrears ladder, alerting patrol to repeat
/// offenders, sending notices and the city's feed, following orders and
/// refunds up with the channels and reconciling their statements. Each job runs as a service
/// of one group, which starts with the server and shuts down gracefully with it.
final class BackgroundJobs: LifecycleHandler, @unchecked Sendable {
    /// Rung when new events are stored, so fusion starts at once.
    let doorbell = Doorbell()
    /// Rung when every job has stopped.
    private let stopped = Doorbell()
    private let lock = NSLock()
    private var group: ServiceGroup?

    func start(
        app: Application, configuration: CurbsideConfiguration, store: Store, tariffs: TariffBook, orders: ChannelOrders, notifier: any Notifier,
        texts: NoticeTexts, clock: @escaping @Sendable () -> Date
    ) {
        let logger = Logger(label: "curbside.jobs")
        var jobs: [any PeriodicJob] = [
            FusionJob(processor: FusionProcessor(store: store, database: app.db, rules: configuration.ingest.fusion), store: store),
            DeviceHealthJob(devices: DeviceRegistry(store: store, database: app.db), database: app.db, offlineAfter: configuration.ingest.deviceOfflineAfter, logger: logger),
            BillingJob(billing: CurbsideApp.billingRun(app.db, configuration, store: store, tariffs: tariffs)),
            ArrearsJob(ladder: CurbsideApp.arrearsRun(app.db, configuration, store: store)),
            AlertsJob(alerts: Alerts(store: store, database: app.db, threshold: configuration.patrol.alertArrearsFen)),
            ReportSumsJob(ledger: ReportRollups(store: store, database: app.db), stays: StayRollups(store: store, database: app.db),
                          quarters: SegmentQuarters(store: store, database: app.db)),
            NoticesJob(dispatcher: CurbsideApp.noticeDispatcher(app.db, configuration, store: store, notifier: notifier, texts: texts)),
        ]
        if store.kind == .postgres { jobs.append(PartitionsJob(store: store, database: app.db)) }
        // The wallet pays without any channel configured.
        jobs.append(AutoPayJob(run: CurbsideApp.autoPayRun(app.db, configuration, store: store, orders: orders)))
        jobs.append(RetentionJob(
            retention: CurbsideApp.retention(app.db, configuration, store: store), clock: configuration.city.timeZone, hour: configuration.retention.hour
        ))
        let invoices = CurbsideApp.invoiceRun(app.db, configuration, store: store, orders: orders, clock: clock)
        if !invoices.providers.isEmpty { jobs.append(InvoiceJob(run: invoices)) }
        if !orders.placing.isEmpty {
            jobs.append(ChannelFollowUpJob(followUp: ChannelFollowUp(orders: orders, store: store, database: app.db, link: configuration.billing.payLink)))
            jobs.append(StatementJob(reconciler: StatementReconciler(
                orders: orders, store: store, database: app.db, clock: configuration.city.timeZone, readyHour: configuration.channels.statementHour
            )))
        }
        if let settings = configuration.cityFeed {
            let outbox = FeedOutbox(store: store, database: app.db)
            jobs.append(CityFeedJob(dispatcher: CityFeedDispatcher(outbox: outbox, settings: settings, client: HTTPClient.providers), logger: logger))
            jobs.append(CityOccupancyJob(outbox: outbox, interval: settings.occupancyInterval, freshness: configuration.ingest.deviceOfflineAfter))
        }
        let services = jobs.map { job in
            ServiceGroupConfiguration.ServiceConfiguration(
                service: JobService(job: job, doorbell: doorbell, clock: clock, logger: logger),
                successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup
            )
        }
        var group = ServiceGroupConfiguration(services: services, logger: logger)
        // A round that outlasts this is cancelled.
        group.maximumGracefulShutdownDuration = .seconds(8)
        let running = ServiceGroup(configuration: group)
        lock.withLock { self.group = running }
        let stopped = stopped
        Task {
            do {
                try await running.run()
            } catch {
                logger.error("background jobs stopped", metadata: ["error": "\(String(reflecting: error))"])
            }
            await stopped.ring()
        }
    }

    /// Stops the jobs, letting a round in progress finish, but not waiting for
    /// ever: a query on a connection the database has dropped may never answer,
    /// and shutting down must not hang on it. An unfinished round's transaction
    /// is rolled back by the database, and its batches stay queued.
    func shutdownAsync(_ application: Application) async {
        guard let running = lock.withLock({ group }) else { return }
        await running.triggerGracefulShutdown()
        await doorbell.ring()
        if !(await stopped.wait(timeout: .seconds(10))) {
            application.logger.warning("background jobs did not stop within 10 s; shutting down without them")
        }
    }
}
