import CurbsideCore
import FluentKit
import SQLKit

/// Reads what a concessionaire's report needs, summed by the database, in one
/// read-only snapshot so every figure describes the same instant. Ledger
/// entries are attributed to the zone of their bill, the road segment of its
/// bay, and (for money received or refunded) the channel of the payment.
public struct ReportQueries: Sendable {
    let store: Store
    let database: any Database
    /// Figures from the day sums where they apply (`ReportRollups`, `StayRollups`); off, from every entry and stay.
    public var useRollups = true

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    /// The facts of a period; `yearStart` is where the contract year began (UTC ms), `now` bounds open stays.
    public func facts(period: ReportPeriod, clock: ZoneClock, yearStart: Int64, now: Int64) async throws -> ReportFacts {
        let range = period.instants(in: clock)
        let days = DayBuckets(clock: clock, range: range)
        return try await snapshot { sql in
            var facts = ReportFacts()
            let rolled = try await rollupsApply(to: clock, on: sql)
            let first = clock.localDay(range.lowerBound / 1000), last = clock.localDay((range.upperBound - 1) / 1000)
            if rolled {
                (facts.flows, facts.segmentFlows) = try await rolledFlows(first...last, on: sql)
                (facts.arrears, facts.segmentArrears) = try await rolledArrears(through: last, first: first, on: sql)
                facts.yearBefore = try await rolledTotals(min(clock.localDay(yearStart / 1000), first)..<first, on: sql)
                facts.zones = try await rolledStays(first...last, on: sql)
            } else {
                (facts.flows, facts.segmentFlows) = try await flows(range, days: days, on: sql)
                (facts.arrears, facts.segmentArrears) = try await arrears(range, days: days, on: sql)
                facts.yearBefore = try await ledgerTotals(yearStart..<range.lowerBound, on: sql)
                facts.zones = try await zoneStays(range, on: sql)
            }
            let until = min(range.upperBound, now)
            // The occupied-time sums are by UTC quarter-hour: they serve a period that starts on one, as local days do.
            if rolled, range.lowerBound % OccupancyGrid.quarter == 0, until > range.lowerBound {
                let (quarters, spans) = try await rolledOccupancy(range, until: until, on: sql)
                facts.occupancy = OccupancyGrid(spans: spans, quarters: quarters, clock: clock)
            } else {
                facts.occupancy = OccupancyGrid(spans: try await occupancySpans(range, now: now, on: sql), clock: clock)
            }
            for (zone, bays) in try await zoneBays(on: sql) {
                facts.zones[zone, default: .init()].bays = bays
            }
            facts.devices = try await deviceUptime(range.lowerBound..<min(range.upperBound, max(range.lowerBound, now)), on: sql)
            facts.appealsFiled = try await count("SELECT COUNT(*) AS n FROM appeals WHERE filed_ms >= \(bind: range.lowerBound) AND filed_ms < \(bind: range.upperBound)", on: sql)
            if rolled {
                // Issuing a bill writes its one receivable entry at its issue time: the sums count them.
                facts.billsIssued = facts.flows.filter { $0.kind == .receivable }.reduce(0) { $0 + $1.entries }
            } else {
                facts.billsIssued = try await count("SELECT COUNT(*) AS n FROM bills WHERE issued_ms >= \(bind: range.lowerBound) AND issued_ms < \(bind: range.upperBound)", on: sql)
            }
            facts.elapsedDays = period.days.filter { clock.utc(fromLocal: Int64($0) * 86_400) * 1000 <= now }.count
            facts.elapsedQuarters = period.elapsedQuarters(in: clock, now: now)
            return facts
        }
    }

    /// Runs reads in one transaction: a repeatable-read snapshot on PostgreSQL; SQLite's WAL gives a read transaction one anyway.
    func snapshot<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await database.transaction { db in
            let sql = db.sql
            if store.kind == .postgres {
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY").run()
                // Reports aggregate a month of ledger entries: the default 4 MB of sort memory would spill to disk.
                try await sql.raw("SET LOCAL work_mem = '64MB'").run()
            }
            return try await body(sql)
        }
    }

    /// A refund goes back through the channel of the bill's latest payment before it.
    static let refundChannel: SQLQueryString = """
        (SELECT p.channel FROM ledger_entries r JOIN payments p ON p.id = r.reference
         WHERE r.bill_number = e.bill_number AND r.kind = 'received' AND r.id < e.id ORDER BY r.id DESC LIMIT 1)
        """

    /// The channel of any entry: a received one's payment's, a refund's as above, none for the rest.
    static let channel: SQLQueryString = """
        CASE WHEN e.kind = 'received' THEN (SELECT p.channel FROM payments p WHERE p.id = e.reference)
             WHEN e.kind = 'refund' THEN \(refundChannel)
        END
        """

    func count(_ query: SQLQueryString, on sql: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { var n: Int }
        return try await sql.raw(query).first(decoding: Row.self)?.n ?? 0
    }
}
