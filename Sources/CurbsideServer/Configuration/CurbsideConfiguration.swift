import Configuration
import CurbsideCore
import CurbsideStore
import Foundation

/// Everything Curbside reads from its environment, read once at start, by area.
/// The defaults run on a fresh machine: an SQLite file under .curbside/,
/// Zones/ and Tariffs/ from the working directory.
public struct CurbsideConfiguration: Sendable {
    public var store: StoreSettings
    public var files: FileSettings
    public var city = CitySettings()
    public var log = LogSettings()
    public var limits = BodyLimits()
    public var tokens = TokenSettings()
    public var ingest = IngestSettings()
    /// Run fusion, billing, notices and the other jobs in this process (every instance may; they share the work).
    public var backgroundJobs = true
    public var billing = BillingSettings()
    /// Keys for checking payment channels' notifications; a channel without them is refused.
    public var channels = ChannelSettings()
    public var notices = NoticeDelivery.log
    /// The SMS provider's account, and the signature texts start with.
    public var sms = SMSSettings()
    /// How long personal data is kept whole, and the key plates are pseudonymised with.
    public var retention = RetentionSettings()
    /// Which providers issue e-invoices, and the tax their lines state.
    public var invoices = InvoiceSettings()
    /// Quiet hours and a daily limit per recipient for notices.
    public var pacing = NoticePacing()
    /// The steps of unpaid bills, as the city sets them.
    public var arrears = ArrearsLadder()
    public var patrol = PatrolSettings()
    /// Where the city platform feed goes; nil keeps its records queued.
    public var cityFeed: CityFeedSettings?
    /// Throttles, lock-outs and timeouts at the public edge.
    public var edge = EdgeSettings()

    /// A configuration with every default but where the database and the data directory are.
    public init(database: StoreLocation, dataDirectory: String) {
        store = StoreSettings(location: database)
        files = FileSettings(data: dataDirectory)
    }

    /// Reads every area from `reader`: environment variables are `DATABASE_URL` and `CURBSIDE_...`,
    /// each area's initialiser names its own.
    public init(reading reader: ConfigReader) throws {
        let root = SettingsReader(reader)
        let curbside = root.scoped(to: "curbside")
        files = FileSettings(reading: curbside)
        store = try StoreSettings(reading: root, dataDirectory: files.data)
        city = try CitySettings(reading: curbside)
        log = try LogSettings(reading: curbside)
        limits = try BodyLimits(reading: curbside)
        tokens = try TokenSettings(reading: curbside)
        ingest = try IngestSettings(reading: curbside)
        backgroundJobs = try curbside.flag("jobs", default: backgroundJobs)
        billing = try BillingSettings(reading: curbside)
        channels = try ChannelSettings(reading: curbside)
        notices = try curbside.value("notices", as: NoticeDelivery.self) ?? notices
        sms = try SMSSettings(reading: curbside, delivery: notices)
        invoices = try InvoiceSettings(reading: curbside)
        retention = try RetentionSettings(reading: curbside)
        pacing = try NoticePacing(reading: curbside, sms: notices.isSMS)
        arrears = try ArrearsLadder(reading: curbside)
        patrol = try PatrolSettings(reading: curbside)
        cityFeed = try CityFeedSettings(reading: curbside)
        edge = try EdgeSettings(reading: curbside)
    }

    /// Reads the environment; an unusable value stops the start with a message naming the variable.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Self {
        try CurbsideConfiguration(reading: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    /// The notice texts, read and checked.
    public func noticeTexts() throws -> NoticeTexts {
        try NoticeTextFiles.load(files.noticeTexts ?? files.tariffs + "/notices")
    }

    /// The concession contract, read and checked; nil when none is configured and Tariffs/ has none.
    public func concessionContract() throws -> ConcessionContract? {
        let path = files.concession ?? files.tariffs + "/concession.yaml"
        guard files.concession != nil || FileManager.default.fileExists(atPath: path) else { return nil }
        return try ConcessionFile.load(path)
    }
}
