import CurbsideCore
import CurbsideStore
import Foundation
import Logging

/// Everything Curbside reads from its environment, read once at start.
/// The defaults run on a fresh machine: an SQLite file under .curbside/,
/// Zones/ and Tariffs/ from the working directory.
public struct CurbsideConfiguration: Sendable {
    public enum LogFormat: String, Sendable {
        case json, text
    }

    public var database: StoreLocation
    /// Holds the SQLite file, the signing key and, later, evidence images.
    public var dataDirectory: String
    public var zonesDirectory: String
    public var tariffsDirectory: String
    /// The city's GB/T 2260 division code, the prefix of full bay codes.
    public var city: DivisionCode
    /// The city's time zone: for zones created without one, statements' days and the arrears ladder's days.
    public var timeZone: ZoneClock
    public static let defaultTimeZone = ZoneClock(identifier: "Asia/Shanghai")!
    public var autoMigrate: Bool
    /// Load Zones/ and Tariffs/ into an empty database on start.
    public var seedOnStart: Bool
    /// HMAC key for access tokens; generated into the data directory when not given.
    public var jwtSecret: String?
    public var tokenIssuer: String
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    /// Largest request body accepted, in bytes, for ordinary requests.
    public var maxBodyBytes: Int
    /// Largest registry import accepted, in bytes.
    public var maxImportBytes: Int
    /// Largest device event batch accepted, in bytes.
    public var maxIngestBytes: Int
    /// Largest evidence image accepted, in bytes.
    public var maxImageBytes: Int
    /// Evidence images live here, by digest.
    public var evidenceDirectory: String
    /// The thresholds of session fusion.
    public var fusionRules: FusionRules
    /// A device with no report for this long is offline (comms lost), in milliseconds.
    public var deviceOfflineAfter: Int64
    /// Run fusion and device health in this process (every instance may; they share the work).
    public var backgroundJobs: Bool
    /// PostgreSQL connections per event loop (one event loop per core).
    public var databasePoolSize: Int
    /// When and how bills are issued.
    public var billing: BillingSettings
    /// Keys for checking payment channels' notifications; a channel without them is refused.
    public var channels: ChannelSettings
    /// Where notices go.
    public var notices: NoticeDelivery
    /// The steps of unpaid bills, as the city sets them.
    public var arrears: ArrearsLadder
    /// A car parked longer than this is shown to patrol as an overstay (ms).
    public var overstayAfter: Int64
    /// Overdue arrears (fen) at which a plate parking again alerts patrol.
    public var alertArrearsFen: Int
    /// How old a beat's bay list may be when served: requests for one beat within this
    /// share one reading (ms; 0 reads afresh every time).
    public var beatListMaxAge: Int64
    /// The concession contract file; nil reads `concession.yaml` in the tariffs directory when it is there.
    public var concessionFile: String?
    /// Where the city platform feed goes; nil keeps its records queued.
    public var cityFeed: CityFeedSettings?
    /// Throttles, lock-outs and timeouts at the public edge.
    public var edge = EdgeSettings()

    public init(
        database: StoreLocation, dataDirectory: String, zonesDirectory: String = "Zones",
        tariffsDirectory: String = "Tariffs", city: DivisionCode = DivisionCode("440784")!, timeZone: ZoneClock = CurbsideConfiguration.defaultTimeZone,
        autoMigrate: Bool = true, seedOnStart: Bool = true, jwtSecret: String? = nil,
        tokenIssuer: String = "curbside", logLevel: Logger.Level = .info, logFormat: LogFormat = .json,
        maxBodyBytes: Int = 1 << 20, maxImportBytes: Int = 32 << 20, maxIngestBytes: Int = 16 << 20, maxImageBytes: Int = 8 << 20,
        evidenceDirectory: String? = nil, fusionRules: FusionRules = FusionRules(), deviceOfflineAfter: Int64 = 15 * 60_000,
        backgroundJobs: Bool = true, databasePoolSize: Int = 4, billing: BillingSettings = BillingSettings(),
        channels: ChannelSettings = ChannelSettings(), notices: NoticeDelivery = .log, arrears: ArrearsLadder = ArrearsLadder(),
        overstayAfter: Int64 = 12 * 3_600_000, alertArrearsFen: Int = 5_000, beatListMaxAge: Int64 = 1_000,
        concessionFile: String? = nil, cityFeed: CityFeedSettings? = nil
    ) {
        self.database = database
        self.dataDirectory = dataDirectory
        self.zonesDirectory = zonesDirectory
        self.tariffsDirectory = tariffsDirectory
        self.city = city
        self.timeZone = timeZone
        self.autoMigrate = autoMigrate
        self.seedOnStart = seedOnStart
        self.jwtSecret = jwtSecret
        self.tokenIssuer = tokenIssuer
        self.logLevel = logLevel
        self.logFormat = logFormat
        self.maxBodyBytes = maxBodyBytes
        self.maxImportBytes = maxImportBytes
        self.maxIngestBytes = maxIngestBytes
        self.maxImageBytes = maxImageBytes
        self.evidenceDirectory = evidenceDirectory ?? dataDirectory + "/evidence"
        self.fusionRules = fusionRules
        self.deviceOfflineAfter = deviceOfflineAfter
        self.backgroundJobs = backgroundJobs
        self.databasePoolSize = databasePoolSize
        self.billing = billing
        self.channels = channels
        self.notices = notices
        self.arrears = arrears
        self.overstayAfter = overstayAfter
        self.alertArrearsFen = alertArrearsFen
        self.beatListMaxAge = beatListMaxAge
        self.concessionFile = concessionFile
        self.cityFeed = cityFeed
    }

    /// Reads the environment; an unusable value stops the start with a message naming the variable.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Self {
        func value(_ name: String) -> String? {
            environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        func flag(_ name: String, default fallback: Bool) throws -> Bool {
            guard let text = value(name)?.lowercased() else { return fallback }
            switch text {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw ConfigurationError(variable: name, reason: "expected true or false, got '\(text)'")
            }
        }
        func bytes(_ name: String, default fallback: Int) throws -> Int {
            guard let text = value(name) else { return fallback }
            guard let parsed = ByteCount.parse(text) else {
                throw ConfigurationError(variable: name, reason: "expected a size such as 1048576, 512k or 16m, got '\(text)'")
            }
            return parsed
        }

        let dataDirectory = value("CURBSIDE_DATA_DIR") ?? ".curbside"
        let database: StoreLocation
        if let url = value("DATABASE_URL") {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw ConfigurationError(variable: "DATABASE_URL", reason: "only postgres:// URLs are supported; leave it unset for the embedded SQLite database")
            }
            database = .postgres(url: url)
        } else {
            database = .sqlite(path: value("CURBSIDE_SQLITE_PATH") ?? dataDirectory + "/curbside.sqlite")
        }
        var city = DivisionCode("440784")!
        if let text = value("CURBSIDE_CITY_CODE") {
            guard let code = DivisionCode(text) else {
                throw ConfigurationError(variable: "CURBSIDE_CITY_CODE", reason: "'\(text)' is not a 6-digit GB/T 2260 division code")
            }
            city = code
        }
        var timeZone = defaultTimeZone
        if let text = value("CURBSIDE_TIME_ZONE") {
            guard let clock = ZoneClock(identifier: text) else {
                throw ConfigurationError(variable: "CURBSIDE_TIME_ZONE", reason: "'\(text)' is not an IANA time zone such as Asia/Shanghai")
            }
            timeZone = clock
        }
        var logLevel = Logger.Level.info
        if let text = value("CURBSIDE_LOG_LEVEL") {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw ConfigurationError(variable: "CURBSIDE_LOG_LEVEL", reason: "expected trace, debug, info, notice, warning, error or critical")
            }
            logLevel = level
        }
        var logFormat = LogFormat.json
        if let text = value("CURBSIDE_LOG_FORMAT") {
            guard let format = LogFormat(rawValue: text.lowercased()) else {
                throw ConfigurationError(variable: "CURBSIDE_LOG_FORMAT", reason: "expected json or text")
            }
            logFormat = format
        }
        func count(_ name: String, default fallback: Int) throws -> Int {
            guard let text = value(name) else { return fallback }
            guard let number = Int(text), (1...256).contains(number) else {
                throw ConfigurationError(variable: name, reason: "expected a number from 1 to 256, got '\(text)'")
            }
            return number
        }
        func milliseconds(_ name: String, default fallback: Int64, max: Int64) throws -> Int64 {
            guard let text = value(name) else { return fallback }
            guard let number = Int64(text), (0...max).contains(number) else {
                throw ConfigurationError(variable: name, reason: "expected milliseconds from 0 to \(max), got '\(text)'")
            }
            return number
        }
        func seconds(_ name: String, default fallback: Int64) throws -> Int64 {
            guard let text = value(name) else { return fallback }
            guard let number = Int64(text), number > 0 else {
                throw ConfigurationError(variable: name, reason: "expected a whole number of seconds, got '\(text)'")
            }
            return number * 1000
        }
        let rules = FusionRules(
            debounce: try seconds("CURBSIDE_DEBOUNCE_SECONDS", default: 60_000),
            association: try seconds("CURBSIDE_ASSOCIATION_SECONDS", default: 300_000),
            outage: try seconds("CURBSIDE_OUTAGE_SECONDS", default: 3_600_000)
        )
        func file(_ name: String) throws -> String? {
            guard let path = value(name) else { return nil }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfigurationError(variable: name, reason: "cannot read '\(path)'")
            }
            return text
        }
        let billing = BillingSettings(
            settleDelay: try seconds("CURBSIDE_BILL_DELAY_SECONDS", default: 600_000),
            dueDays: try count("CURBSIDE_BILL_DUE_DAYS", default: 30),
            publicURL: value("CURBSIDE_PUBLIC_URL").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "http://127.0.0.1:8080"
        )
        let apiV3Key = value("CURBSIDE_WECHAT_APIV3_KEY")
        if let apiV3Key, apiV3Key.utf8.count != 32 {
            throw ConfigurationError(variable: "CURBSIDE_WECHAT_APIV3_KEY", reason: "the API v3 key is 32 characters")
        }
        let channels = ChannelSettings(
            wechatPlatformKeyPEM: try file("CURBSIDE_WECHAT_PLATFORM_KEY"), wechatAPIv3Key: apiV3Key,
            alipayPublicKeyPEM: try file("CURBSIDE_ALIPAY_PUBLIC_KEY"), alipayAppID: value("CURBSIDE_ALIPAY_APP_ID"),
            acquirerSecret: value("CURBSIDE_ACQUIRER_SECRET")
        )
        var notices = NoticeDelivery.log
        if let text = value("CURBSIDE_NOTICES") {
            if text == "log" {
                notices = .log
            } else if text.hasPrefix("dir:"), text.count > 4 {
                notices = .directory(String(text.dropFirst(4)))
            } else {
                throw ConfigurationError(variable: "CURBSIDE_NOTICES", reason: "expected log or dir:PATH, got '\(text)'")
            }
        }
        var reminderDays = [7, 21]
        if let text = value("CURBSIDE_ARREARS_REMINDER_DAYS") {
            let days = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !days.contains(nil), days.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw ConfigurationError(variable: "CURBSIDE_ARREARS_REMINDER_DAYS", reason: "expected days after issue such as 7,21, got '\(text)'")
            }
            reminderDays = days.compactMap { $0 }
        }
        let arrears = ArrearsLadder(
            reminderDays: reminderDays, makeUpDays: try count("CURBSIDE_ARREARS_MAKEUP_DAYS", default: 30),
            finalNoticeDays: try count("CURBSIDE_ARREARS_FINAL_DAYS", default: 15), referAfterDays: try count("CURBSIDE_ARREARS_REFER_DAYS", default: 15)
        )
        func fen(_ name: String, default fallback: Int) throws -> Int {
            guard let text = value(name) else { return fallback }
            guard let number = Int(text), number > 0 else { throw ConfigurationError(variable: name, reason: "expected an amount in fen, got '\(text)'") }
            return number
        }
        var cityFeed: CityFeedSettings?
        if let url = value("CURBSIDE_CITY_FEED_URL") {
            guard url.hasPrefix("https://") || url.hasPrefix("http://"), URL(string: url)?.host != nil else {
                throw ConfigurationError(variable: "CURBSIDE_CITY_FEED_URL", reason: "expected an http(s) URL, got '\(url)'")
            }
            guard let feedSecret = value("CURBSIDE_CITY_FEED_SECRET"), feedSecret.utf8.count >= 16 else {
                throw ConfigurationError(variable: "CURBSIDE_CITY_FEED_SECRET", reason: "the city platform's shared secret (at least 16 bytes) is needed with CURBSIDE_CITY_FEED_URL")
            }
            cityFeed = CityFeedSettings(url: url, keyID: value("CURBSIDE_CITY_FEED_KEY_ID") ?? "curbside", secret: feedSecret)
        }
        let secret = value("CURBSIDE_JWT_SECRET")
        if let secret, secret.utf8.count < 32 {
            throw ConfigurationError(variable: "CURBSIDE_JWT_SECRET", reason: "use at least 32 bytes")
        }
        func rate(_ name: String, default fallback: EdgeSettings.Rate) throws -> EdgeSettings.Rate {
            guard let text = value(name) else { return fallback }
            guard let rate = EdgeSettings.Rate.parse(text) else {
                throw ConfigurationError(variable: name, reason: "expected a count per period such as 30/1m, 10/1h or 5/30s, got '\(text)'")
            }
            return rate
        }
        func whole(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
            guard let text = value(name) else { return fallback }
            guard let number = Int(text), range.contains(number) else {
                throw ConfigurationError(variable: name, reason: "expected a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
            }
            return number
        }
        var edge = EdgeSettings()
        edge.staffSignInPerAddress = try rate("CURBSIDE_LIMIT_STAFF_SIGN_IN", default: edge.staffSignInPerAddress)
        edge.staffLockoutFailures = try whole("CURBSIDE_STAFF_LOCKOUT_FAILURES", default: edge.staffLockoutFailures, range: 1...100)
        edge.staffLockoutSeconds = TimeInterval(try whole("CURBSIDE_STAFF_LOCKOUT_SECONDS", default: Int(edge.staffLockoutSeconds), range: 1...86_400))
        edge.codesPerPhone = try rate("CURBSIDE_LIMIT_CODES_PER_PHONE", default: edge.codesPerPhone)
        edge.codesPerAddress = try rate("CURBSIDE_LIMIT_CODES_PER_ADDRESS", default: edge.codesPerAddress)
        edge.codesPerHour = try whole("CURBSIDE_LIMIT_CODES_PER_HOUR", default: edge.codesPerHour, range: 1...10_000_000)
        edge.codeSignInsPerAddress = try rate("CURBSIDE_LIMIT_CODE_SIGN_IN", default: edge.codeSignInsPerAddress)
        edge.lookupsPerAddress = try rate("CURBSIDE_LIMIT_LOOKUPS", default: edge.lookupsPerAddress)
        edge.receiptsPerAddress = try rate("CURBSIDE_LIMIT_RECEIPTS", default: edge.receiptsPerAddress)
        edge.bindingsPerCitizen = try rate("CURBSIDE_LIMIT_BINDINGS", default: edge.bindingsPerCitizen)
        edge.alertStreamsPerOfficer = try whole("CURBSIDE_ALERT_STREAMS_PER_OFFICER", default: edge.alertStreamsPerOfficer, range: 1...100)
        edge.idleTimeout = TimeInterval(try whole("CURBSIDE_IDLE_TIMEOUT_SECONDS", default: Int(edge.idleTimeout), range: 1...3600))
        if let text = value("CURBSIDE_TRUSTED_PROXIES") {
            let proxies = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard proxies.allSatisfy({ TrustedProxies.isValid($0) }) else {
                throw ConfigurationError(variable: "CURBSIDE_TRUSTED_PROXIES", reason: "expected addresses or IPv4 CIDR blocks separated by commas, got '\(text)'")
            }
            edge.trustedProxies = proxies
        }
        edge.revealSecretsInLog = try flag("CURBSIDE_DEV_LOG_SECRETS", default: false)
        var configuration = CurbsideConfiguration(
            database: database,
            dataDirectory: dataDirectory,
            zonesDirectory: value("CURBSIDE_ZONES_DIR") ?? "Zones",
            tariffsDirectory: value("CURBSIDE_TARIFFS_DIR") ?? "Tariffs",
            city: city,
            timeZone: timeZone,
            autoMigrate: try flag("CURBSIDE_AUTO_MIGRATE", default: true),
            seedOnStart: try flag("CURBSIDE_SEED", default: true),
            jwtSecret: secret,
            tokenIssuer: value("CURBSIDE_TOKEN_ISSUER") ?? "curbside",
            logLevel: logLevel,
            logFormat: logFormat,
            maxBodyBytes: try bytes("CURBSIDE_MAX_BODY", default: 1 << 20),
            maxImportBytes: try bytes("CURBSIDE_MAX_IMPORT", default: 32 << 20),
            maxIngestBytes: try bytes("CURBSIDE_MAX_INGEST", default: 16 << 20),
            maxImageBytes: try bytes("CURBSIDE_MAX_IMAGE", default: 8 << 20),
            evidenceDirectory: value("CURBSIDE_EVIDENCE_DIR"),
            fusionRules: rules,
            deviceOfflineAfter: try seconds("CURBSIDE_DEVICE_OFFLINE_SECONDS", default: 15 * 60_000),
            backgroundJobs: try flag("CURBSIDE_JOBS", default: true),
            databasePoolSize: try count("CURBSIDE_DB_POOL", default: 4),
            billing: billing,
            channels: channels,
            notices: notices,
            arrears: arrears,
            overstayAfter: Int64(try count("CURBSIDE_OVERSTAY_HOURS", default: 12)) * 3_600_000,
            alertArrearsFen: try fen("CURBSIDE_ALERT_ARREARS_FEN", default: 5_000),
            beatListMaxAge: try milliseconds("CURBSIDE_BEAT_LIST_MAX_AGE_MS", default: 1_000, max: 60_000),
            concessionFile: value("CURBSIDE_CONCESSION_FILE"),
            cityFeed: cityFeed
        )
        configuration.edge = edge
        return configuration
    }
}

extension CurbsideConfiguration {
    /// The concession contract, read and checked; nil when none is configured and Tariffs/ has none.
    public func concessionContract() throws -> ConcessionContract? {
        let path = concessionFile ?? tariffsDirectory + "/concession.yaml"
        guard concessionFile != nil || FileManager.default.fileExists(atPath: path) else { return nil }
        return try ConcessionFile.load(path)
    }
}

/// The city platform's endpoint and the credentials Curbside signs its batches with.
public struct CityFeedSettings: Sendable {
    public var url: String
    public var keyID: String
    public var secret: String
    /// Records per request.
    public var batchSize: Int
    /// The longest wait between tries while the platform is down (ms): short enough that records
    /// still reach it within 5 s of its coming back, long enough to cost a down platform nothing.
    public var maxBackoff: Int64
    /// How often road segments' occupied and free counts are checked, and sent where they changed (ms).
    public var occupancyInterval: Int64

    public init(url: String, keyID: String, secret: String, batchSize: Int = 200, maxBackoff: Int64 = 4_000, occupancyInterval: Int64 = 5_000) {
        self.url = url
        self.keyID = keyID
        self.secret = secret
        self.batchSize = batchSize
        self.maxBackoff = maxBackoff
        self.occupancyInterval = occupancyInterval
    }
}

/// When bills are issued and where their links point.
public struct BillingSettings: Sendable {
    /// A closed session is billed once it has been closed and unchanged this long (ms).
    public var settleDelay: Int64
    /// Days from issue to the due date.
    public var dueDays: Int
    /// The public base of payment links, without a trailing slash.
    public var publicURL: String

    public init(settleDelay: Int64 = 600_000, dueDays: Int = 30, publicURL: String = "http://127.0.0.1:8080") {
        self.settleDelay = settleDelay
        self.dueDays = dueDays
        self.publicURL = publicURL
    }

    /// The short payment link of a bill's token.
    @Sendable public func payLink(_ token: String) -> String { "\(publicURL)/p/\(token)" }
}

/// What checking each channel's notifications needs. PEM texts, read from the
/// files the environment names.
public struct ChannelSettings: Sendable {
    public var wechatPlatformKeyPEM: String?
    public var wechatAPIv3Key: String?
    public var alipayPublicKeyPEM: String?
    public var alipayAppID: String?
    /// Shared with the acquirer for UnionPay, bank-card and ETC notifications.
    public var acquirerSecret: String?

    public init(
        wechatPlatformKeyPEM: String? = nil, wechatAPIv3Key: String? = nil, alipayPublicKeyPEM: String? = nil, alipayAppID: String? = nil,
        acquirerSecret: String? = nil
    ) {
        self.wechatPlatformKeyPEM = wechatPlatformKeyPEM
        self.wechatAPIv3Key = wechatAPIv3Key
        self.alipayPublicKeyPEM = alipayPublicKeyPEM
        self.alipayAppID = alipayAppID
        self.acquirerSecret = acquirerSecret
    }
}

/// Where notices are delivered. SMS and app-push providers plug in as further adapters.
public enum NoticeDelivery: Sendable, Equatable {
    /// Written to the log (the default; for development and the demo).
    case log
    /// Each notice as a text file and its QR code as a PNG, in a directory.
    case directory(String)
}

/// A configuration value that cannot be used, named so the operator can fix it.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var variable: String
    public var reason: String
    public var description: String { "\(variable): \(reason)" }
}

/// Sizes as operators write them: 1048576, 512k, 16m.
enum ByteCount {
    static func parse(_ text: String) -> Int? {
        let lower = text.lowercased()
        let multiplier: Int
        var digits = Substring(lower)
        switch lower.last {
        case "k": multiplier = 1 << 10
        case "m": multiplier = 1 << 20
        case "g": multiplier = 1 << 30
        default: multiplier = 1
        }
        if multiplier > 1 { digits = digits.dropLast() }
        guard let number = Int(digits), number > 0 else { return nil }
        return number.multipliedReportingOverflow(by: multiplier).overflow ? nil : number * multiplier
    }
}
