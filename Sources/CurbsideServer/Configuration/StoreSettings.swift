import CurbsideStore

/// Which database Curbside keeps its records in, and what it does with it on start.
public struct StoreSettings: Sendable {
    public var location: StoreLocation
    /// PostgreSQL connections per event loop (one event loop per core).
    public var poolSize = 4
    /// How long a query waits for a free connection before its request fails.
    public var poolTimeoutSeconds = 10
    /// `serve` runs the migrations first.
    public var autoMigrate = true
    /// Load Zones/ and Tariffs/ into an empty database on start.
    public var seedOnStart = true

    public init(location: StoreLocation) {
        self.location = location
    }

    /// `DATABASE_URL` (PostgreSQL; unset, the SQLite file `CURBSIDE_SQLITE_PATH`, by default in the data
    /// directory), `CURBSIDE_DB_POOL`, `CURBSIDE_DB_POOL_TIMEOUT_SECONDS`, `CURBSIDE_AUTO_MIGRATE`, `CURBSIDE_SEED`.
    init(reading root: SettingsReader, dataDirectory: String) throws {
        let curbside = root.scoped(to: "curbside")
        let database = root.scoped(to: "database")
        if let url = database.text("url", isSecret: true) {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw ConfigurationError(
                    variable: database.variable("url"), reason: "only postgres:// URLs are supported; leave it unset for the embedded SQLite database"
                )
            }
            location = .postgres(url: url)
        } else {
            location = .sqlite(path: curbside.text("sqlitePath") ?? dataDirectory + "/curbside.sqlite")
        }
        poolSize = try curbside.whole("dbPool", default: poolSize, in: 1...256)
        poolTimeoutSeconds = try curbside.whole("dbPoolTimeoutSeconds", default: poolTimeoutSeconds, in: 1...600)
        autoMigrate = try curbside.flag("autoMigrate", default: autoMigrate)
        seedOnStart = try curbside.flag("seed", default: seedOnStart)
    }
}
