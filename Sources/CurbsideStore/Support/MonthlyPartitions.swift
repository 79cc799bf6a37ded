import CurbsideCore
import FluentKit
import SQLKit

/// A PostgreSQL table partitioned by UTC month of a column of UTC ms: one
/// partition a month (`<table>_mYYYYMM`) and a default one for rows of months
/// that have none, so an insert never fails for want of a partition. A job
/// creates the months ahead; retention drops whole months past their period.
public struct MonthlyPartitions: Sendable {
    public let table: String
    public let column: String

    public static let deviceEvents = MonthlyPartitions(table: "device_events", column: "device_time_ms")
    /// How far back and ahead of now the months must have partitions: ingestion takes events 30 days old and 5 minutes ahead.
    public static let behind: Int64 = 40 * 86_400_000
    public static let ahead: Int64 = 62 * 86_400_000

    static let utc = ZoneClock(identifier: "UTC")!

    /// The UTC month holding an instant (UTC ms), if it is one reports can name.
    static func month(containing instant: Int64) -> ReportMonth? {
        let day = LocalDate(dayNumber: utc.localDay(instant / 1000))
        return ReportMonth(year: day.year, month: day.month)
    }

    public static func start(of month: ReportMonth) -> Int64 {
        Int64(month.firstDay.dayNumber) * 86_400_000
    }

    func name(of month: ReportMonth) -> String {
        "\(table)_m\(month.year)\(month.month < 10 ? "0" : "")\(month.month)"
    }

    var defaultName: String { "\(table)_default" }

    /// The months that have a partition now.
    public func months(on sql: any SQLDatabase) async throws -> [ReportMonth] {
        struct Row: Decodable { var name: String }
        let prefix = "\(table)_m"
        return try await sql.raw("""
            SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname = \(bind: table)
            """).all(decoding: Row.self).compactMap { row in
            guard row.name.hasPrefix(prefix) else { return nil }
            let digits = row.name.dropFirst(prefix.count)
            guard digits.count == 6, let year = Int(digits.prefix(4)), let month = Int(digits.suffix(2)) else { return nil }
            return ReportMonth(year: year, month: month)
        }.sorted()
    }

    /// Creates the partitions of the months from the one holding `from` through the one holding `through` that
    /// have none, each taking the rows the default partition holds for it. Servers may run this at once: one at a time does.
    /// Returns the months created.
    @discardableResult
    public func ensure(from: Int64, through: Int64, on sql: any SQLDatabase) async throws -> [ReportMonth] {
        guard var month = Self.month(containing: from), let last = Self.month(containing: through) else { return [] }
        try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "curbside.partitions." + table)))").run()
        let existing = Set(try await months(on: sql))
        var created: [ReportMonth] = []
        while month <= last {
            if !existing.contains(month) {
                try await create(month, on: sql)
                created.append(month)
            }
            if month.year == 2099 && month.month == 12 { break }
            month = month.next
        }
        return created
    }

    /// A month's partition: made beside the table, filled with what the default partition held of the month, then
    /// attached (attaching checks the default partition has no more rows of it).
    func create(_ month: ReportMonth, on sql: any SQLDatabase) async throws {
        let name = name(of: month), from = Self.start(of: month), to = Self.start(of: month.next)
        try await sql.raw("CREATE TABLE \(ident: name) (LIKE \(ident: table) INCLUDING DEFAULTS)").run()
        try await sql.raw("""
            WITH moved AS (DELETE FROM \(ident: defaultName) WHERE \(ident: column) >= \(bind: from) AND \(ident: column) < \(bind: to) RETURNING *)
            INSERT INTO \(ident: name) SELECT * FROM moved
            """).run()
        try await sql.raw("ALTER TABLE \(ident: table) ATTACH PARTITION \(ident: name) FOR VALUES FROM (\(literal: Int(from))) TO (\(literal: Int(to)))").run()
    }

    /// Drops a month's partition, keeping the rows `kept` picks from it (a SELECT of whole rows of the partition
    /// named, given the month's range): they are copied aside while the month is still attached, then, in one short
    /// transaction that holds the table's lock, the month is detached, they are put back through the table (landing in
    /// the default partition) and the month is dropped. Returns the rows that went.
    func drop(
        _ month: ReportMonth, keeping kept: (_ partition: String, _ range: Range<Int64>) -> SQLQueryString, store: Store, database: any Database
    ) async throws -> Int {
        struct Count: Decodable { var n: Int }
        let name = name(of: month), aside = "\(name)_kept"
        let select = kept(name, Self.start(of: month)..<Self.start(of: month.next))
        let rows = try await store.write(on: database) { db in
            let sql = db.sql
            try await sql.raw("DROP TABLE IF EXISTS \(ident: aside)").run()
            try await sql.raw("CREATE TABLE \(ident: aside) AS \(select)").run()
            return try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: name)").first(decoding: Count.self)?.n ?? 0
        }
        return try await store.write(on: database) { db in
            let sql = db.sql
            // Detaching locks the whole table: waiting long for it would hold up ingestion queued behind the wait.
            try await sql.raw("SET LOCAL lock_timeout = '10s'").run()
            try await sql.raw("ALTER TABLE \(ident: table) DETACH PARTITION \(ident: name)").run()
            let kept = try await sql.raw("""
                WITH k AS (INSERT INTO \(ident: table) SELECT * FROM \(ident: aside) RETURNING 1) SELECT COUNT(*) AS n FROM k
                """).first(decoding: Count.self)?.n ?? 0
            try await sql.raw("DROP TABLE \(ident: name)").run()
            try await sql.raw("DROP TABLE \(ident: aside)").run()
            return rows - kept
        }
    }
}
