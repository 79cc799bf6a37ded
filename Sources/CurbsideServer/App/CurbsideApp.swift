import CurbsideAPI
import CurbsideCore
import CurbsideMessaging
import CurbsideStore
import AsyncHTTPClient
import Crypto
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import OpenAPIRuntime
import OpenAPIVapor
import Vapor

/// Builds a Curbside application: database, migrations, seed data, middleware
/// and the OpenAPI routes. `serve`, `demo`, the commands that only touch the
/// database, and the tests all start here.
public enum CurbsideApp {
    public struct Options: Sendable {
        /// Run pending migrations (`serve` unless told not to, tests, demo).
        public var migrate = true
        /// Load Tariffs/ (new versions only; a changed file without a new version is refused).
        public var loadTariffs = true
        /// Load Zones/ into an empty registry.
        public var seedRegistry = true
        /// Register the HTTP API; commands that only use the database skip it.
        public var routes = true
        /// The time source; tests pin it.
        public var clock: @Sendable () -> Date = { Date() }

        public init(
            migrate: Bool = true, loadTariffs: Bool = true, seedRegistry: Bool = true, routes: Bool = true,
            clock: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.migrate = migrate
            self.loadTariffs = loadTariffs
            self.seedRegistry = seedRegistry
            self.routes = routes
            self.clock = clock
        }
    }


    @discardableResult
    public static func configure(_ app: Application, _ configuration: CurbsideConfiguration, options: Options = Options()) async throws -> Store {
        CurbsideMetrics.bootstrap()
        let store = try Store.open(
            configuration.store.location, in: app.databases, poolSize: configuration.store.poolSize,
            poolTimeout: .seconds(Int64(configuration.store.poolTimeoutSeconds))
        )
        try await store.prepare(app.db)
        if options.migrate {
            try await store.migrate(app.databases, logger: app.logger)
        }
        if options.loadTariffs {
            try await Seeder.loadTariffs(from: configuration.files.tariffs, store: store, database: app.db, logger: app.logger)
        }
        if options.seedRegistry && configuration.store.seedOnStart {
            try await Seeder.seedRegistryIfEmpty(from: configuration.files.zones, cityTimeZone: configuration.city.timeZone.identifier, store: store, database: app.db, logger: app.logger)
        }
        if options.routes {
            try await registerRoutes(app, configuration, store: store, clock: options.clock)
        }
        return store
    }

    static func registerRoutes(_ app: Application, _ configuration: CurbsideConfiguration, store: Store, clock: @escaping @Sendable () -> Date) async throws {
        let key = try SigningKey.load(configured: configuration.tokens.secret, dataDirectory: configuration.files.data)
        let tokens = await TokenService(secret: key, issuer: configuration.tokens.issuer)
        let policy = try AccessPolicy(openAPIDocument: Contract.document)
        let contract = try RequestContract(openAPIDocument: Contract.document)
        let guards = EdgeGuards(settings: configuration.edge)

        // Hashing runs on the application's thread pool (req.password.async), never on the threads that answer requests.
        app.passwords.use(.bcrypt(cost: OperationsHandler.passwordCost))
        // Connections that send and receive nothing this long are closed: half-open and idle ones do not pile up.
        app.http.server.configuration.idleTimeout = .seconds(Int64(configuration.edge.idleTimeout))
        app.middleware = Middlewares()
        app.middleware.use(RequestLogMiddleware())
        app.middleware.use(ErrorMiddleware())
        app.middleware.use(try MethodNotAllowedMiddleware(openAPIDocument: Contract.document))
        app.middleware.use(RequestContextMiddleware())

        let tariffs = try await TariffBook(catalog: TariffCatalog(store: store, database: app.db))
        let channels = try ChannelVerifiers(configuration.channels)
        let texts = try configuration.noticeTexts()
        let notifier = notifier(for: configuration, texts: texts, store: store, database: app.db)
        let orders = try ChannelOrders(
            configuration.channels, publicURL: configuration.billing.publicURL, verifiers: channels,
            proxies: TrustedProxies(configuration.edge.trustedProxies), http: HTTPClient.providers, clock: clock
        )
        let jobs = BackgroundJobs()
        app.lifecycle.use(jobs)
        if configuration.backgroundJobs {
            jobs.start(app: app, configuration: configuration, store: store, tariffs: tariffs, orders: orders, notifier: notifier, texts: texts, clock: clock)
        }
        // Read before the first batch asks: the first batches then wait for this one load instead of each making their own.
        let bindings = DeviceBindingsCache()
        let database = app.db
        Task { _ = try? await bindings.bindings(on: database) }
        let handler = APIHandler(
            configuration: configuration, store: store, tariffs: tariffs, bindings: bindings,
            evidence: FileEvidenceObjects(directory: configuration.files.evidence), jobs: jobs, channels: channels,
            orders: orders,
            notifier: notifier, texts: texts, tokens: tokens,
            guards: guards, contract: try configuration.concessionContract(), drain: app.drain, clock: clock
        )
        try handler.registerHandlers(
            on: VaporTransport(routesBuilder: app),
            serverURL: Servers.Server1.url(),
            configuration: .init(dateTranscoder: RFC3339DateTranscoder(), jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes]),
            middlewares: [
                ETagMiddleware(),
                // Only wraps the body: a declared length over the limit is refused at once, a streamed one as it passes it.
                BodyLimitMiddleware(defaultLimit: configuration.limits.request, limits: [
                    "importRegistry": configuration.limits.imports, "reconcileStatement": configuration.limits.imports, "ingestEvents": configuration.limits.ingest,
                    "uploadEvidenceImage": configuration.limits.image, "wechatNotify": BillingHandler.maxNotificationBytes,
                    "wechatRefundNotify": BillingHandler.maxNotificationBytes, "wechatParkingNotify": BillingHandler.maxNotificationBytes,
                    "alipayNotify": BillingHandler.maxNotificationBytes, "acquirerNotify": BillingHandler.maxNotificationBytes,
                ]),
                AuthorizationMiddleware(policy: policy, tokens: tokens, store: store, clock: clock),
                ThrottleMiddleware(guards: guards),
                ContractValidationMiddleware(contract: contract),
            ]
        )
    }

    /// The notifier of `CURBSIDE_NOTICES`, with WeChat subscription messages first where our WeChat application is configured.
    static func notifier(for configuration: CurbsideConfiguration, texts: NoticeTexts, store: Store, database: any Database) -> any Notifier {
        let delivery = notifier(for: configuration, texts: texts)
        guard let open = ChannelOrders.wechatOpen(configuration.channels, http: HTTPClient.providers) else { return delivery }
        return WeChatSubscriptionNotifier(open: open, texts: texts, subscriptions: WeChatSubscriptions(store: store, database: database), others: delivery)
    }

    static func notifier(for configuration: CurbsideConfiguration, texts: NoticeTexts) -> any Notifier {
        let log = LogNotifier(revealSecrets: configuration.edge.revealSecretsInLog)
        let sms = configuration.sms
        let timeout = TimeAmount.milliseconds(configuration.channels.timeout)
        // The settings reader requires the key and secret for a provider; a configuration made in code without them is refused by the provider.
        return switch configuration.notices {
        case .log: log
        case let .directory(path): DirectoryNotifier(directory: path)
        case .aliyun:
            SMSNotifier(provider: AliyunSMSClient(
                endpoint: sms.url ?? "https://dysmsapi.aliyuncs.com", accessKeyID: sms.keyID ?? "", accessKeySecret: sms.secret ?? "", signName: sms.signName,
                http: HTTPClient.providers, timeout: timeout
            ), channel: "aliyun", texts: texts, others: log)
        case .tencent:
            SMSNotifier(provider: TencentSMSClient(
                endpoint: sms.url ?? "https://sms.tencentcloudapi.com", secretID: sms.keyID ?? "", secretKey: sms.secret ?? "", appID: sms.appID ?? "",
                signName: sms.signName, region: sms.region, http: HTTPClient.providers, timeout: timeout
            ), channel: "tencent", texts: texts, others: log)
        }
    }

    static func noticeDispatcher(
        _ database: any Database, _ configuration: CurbsideConfiguration, store: Store, notifier: any Notifier, texts: NoticeTexts
    ) -> NoticeDispatcher {
        NoticeDispatcher(
            outbox: NoticeOutbox(store: store, database: database), notifier: notifier, pacing: configuration.pacing, clock: configuration.city.timeZone,
            texts: texts, signature: configuration.sms.signName
        )
    }

    /// The billing job as `serve` runs it, for tests and the demo to run a round at a chosen time.
    public static func billingRun(_ app: Application, _ configuration: CurbsideConfiguration, store: Store) async throws -> BillingRun {
        let tariffs = try await TariffBook(catalog: TariffCatalog(store: store, database: app.db))
        return billingRun(app.db, configuration, store: store, tariffs: tariffs)
    }

    static func billingRun(_ database: any Database, _ configuration: CurbsideConfiguration, store: Store, tariffs: TariffBook) -> BillingRun {
        BillingRun(
            store: store, database: database, issuer: BillIssuer(dueDays: configuration.billing.dueDays), settleDelay: configuration.billing.settleDelay,
            engine: { tariffs.engine(id: $0, at: $1 / 1000) }, link: configuration.billing.payLink
        )
    }

    /// The arrears job as `serve` runs it.
    public static func arrearsRun(_ database: any Database, _ configuration: CurbsideConfiguration, store: Store) -> ArrearsRun {
        ArrearsRun(
            store: store, database: database, ladder: configuration.arrears, clock: configuration.city.timeZone, link: configuration.billing.payLink
        )
    }

    /// The channel follow-up job as `serve` runs it.
    public static func channelFollowUp(
        _ database: any Database, _ configuration: CurbsideConfiguration, store: Store, clock: @escaping @Sendable () -> Date
    ) throws -> ChannelFollowUp {
        ChannelFollowUp(
            orders: try channelOrders(configuration, clock: clock), store: store, database: database, link: configuration.billing.payLink
        )
    }

    /// The non-stop payment job as `serve` runs it.
    public static func autoPayRun(
        _ database: any Database, _ configuration: CurbsideConfiguration, store: Store, clock: @escaping @Sendable () -> Date
    ) throws -> AutoPayRun {
        autoPayRun(database, configuration, store: store, orders: try channelOrders(configuration, clock: clock))
    }

    static func autoPayRun(_ database: any Database, _ configuration: CurbsideConfiguration, store: Store, orders: ChannelOrders) -> AutoPayRun {
        AutoPayRun(orders: orders, store: store, database: database, clock: configuration.city.timeZone, link: configuration.billing.payLink)
    }

    /// The e-invoices job as `serve` runs it.
    public static func invoiceRun(
        _ database: any Database, _ configuration: CurbsideConfiguration, store: Store, clock: @escaping @Sendable () -> Date
    ) throws -> InvoiceRun {
        invoiceRun(database, configuration, store: store, orders: try channelOrders(configuration, clock: clock), clock: clock)
    }

    static func invoiceRun(
        _ database: any Database, _ configuration: CurbsideConfiguration, store: Store, orders: ChannelOrders, clock: @escaping @Sendable () -> Date
    ) -> InvoiceRun {
        InvoiceRun(
            providers: InvoiceRun.providers(configuration.invoices, orders: orders, http: HTTPClient.providers, clock: clock), settings: configuration.invoices,
            store: store, database: database, link: configuration.billing.payLink
        )
    }

    /// Retention and anonymisation as the daily job runs it.
    public static func retention(_ database: any Database, _ configuration: CurbsideConfiguration, store: Store) -> Retention {
        Retention(
            store: store, database: database, periods: configuration.retention.periods,
            evidence: FileEvidenceObjects(directory: configuration.files.evidence),
            key: configuration.retention.key.map { SymmetricKey(data: Data($0.utf8)) }
        )
    }

    /// The statement job as `serve` runs it.
    public static func statementReconciler(
        _ database: any Database, _ configuration: CurbsideConfiguration, store: Store, clock: @escaping @Sendable () -> Date
    ) throws -> StatementReconciler {
        StatementReconciler(
            orders: try channelOrders(configuration, clock: clock), store: store, database: database, clock: configuration.city.timeZone,
            readyHour: configuration.channels.statementHour
        )
    }

    static func channelOrders(_ configuration: CurbsideConfiguration, clock: @escaping @Sendable () -> Date) throws -> ChannelOrders {
        try ChannelOrders(
            configuration.channels, publicURL: configuration.billing.publicURL, verifiers: try ChannelVerifiers(configuration.channels),
            proxies: TrustedProxies(configuration.edge.trustedProxies), http: HTTPClient.providers, clock: clock
        )
    }

    /// Sends one batch of the notice outbox, as the background job does; returns how many were delivered.
    public static func dispatchNotices(_ app: Application, _ configuration: CurbsideConfiguration, store: Store, now: Int64) async throws -> Int {
        let texts = try configuration.noticeTexts()
        let notifier = notifier(for: configuration, texts: texts, store: store, database: app.db)
        return try await noticeDispatcher(app.db, configuration, store: store, notifier: notifier, texts: texts)
            .runOnce(now: now)
    }

    /// The city feed's sender as the background job runs it, for tests to send at chosen times.
    public static func cityFeed(_ app: Application, _ settings: CityFeedSettings, store: Store) -> CityFeedSender {
        CityFeedSender(dispatcher: CityFeedDispatcher(outbox: FeedOutbox(store: store, database: app.db), settings: settings, client: HTTPClient.providers))
    }

    /// A token for `principal`, made on the server's own machine (`curbside
    /// token`, the demo, benchmarks and tests), with the record behind it made
    /// first where there is none: tokens are checked against their accounts.
    public static func localToken(
        _ principal: Principal, validFor lifetime: TimeInterval, phone: String? = nil, store: Store, database: any Database, configuration: CurbsideConfiguration
    ) async throws -> String {
        try await Principals(store: store, database: database).provision(principal, phone: phone, now: Date().milliseconds)
        return try await tokenService(configuration).issue(for: principal, validFor: lifetime)
    }

    /// A token service with the same key `serve` uses, for `curbside token` and tests.
    public static func tokenService(_ configuration: CurbsideConfiguration) async throws -> TokenService {
        let key = try SigningKey.load(configured: configuration.tokens.secret, dataDirectory: configuration.files.data)
        return await TokenService(secret: key, issuer: configuration.tokens.issuer)
    }
}
