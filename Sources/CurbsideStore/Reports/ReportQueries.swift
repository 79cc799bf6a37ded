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
            facts.flows = try await flows(range, days: days, on: sql)
            facts.arrears = try await arrears(range, days: days, on: sql)
            facts.yearBefore = try await ledgerTotals(yearStart..<range.lowerBound, on: sql)
            facts.zones = try await zoneActivity(range, on: sql)
            facts.occupancy = OccupancyGrid(spans: try await occupancySpans(range, now: now, on: sql), clock: clock)
            facts.devices = try await deviceUptime(range.lowerBound..<min(range.upperBound, max(range.lowerBound, now)), on: sql)
            facts.appealsFiled = try await count("SELECT COUNT(*) AS n FROM appeals WHERE filed_ms >= \(bind: range.lowerBound) AND filed_ms < \(bind: range.upperBound)", on: sql)
            facts.billsIssued = try await count("SELECT COUNT(*) AS n FROM bills WHERE issued_ms >= \(bind: range.lowerBound) AND issued_ms < \(bind: range.upperBound)", on: sql)
            facts.elapsedDays = period.days.filter { clock.utc(fromLocal: Int64($0) * 86_400) * 1000 <= now }.count
            return facts
        }
    }

    /// Runs reads in one transaction: a repeatable-read snapshot on PostgreSQL; SQLite's WAL gives a read transaction one anyway.
    func snapshot<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await database.transaction { db in
            let sql = db as! any SQLDatabase
            if store.kind == .postgres {
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY").run()
                // Reports aggregate a month of ledger entries: compiling the plan costs more than it saves,
                // and the default 4 MB of sort memory would spill to disk.
                try await sql.raw("SET LOCAL jit = off").run()
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

    /// Received money joins its payment for the channel; refunds, far fewer, look theirs up one by one (see `refundChannel`).
    func flows(_ range: Range<Int64>, days: DayBuckets, on sql: any SQLDatabase) async throws -> [ReportFacts.Flow] {
        struct Row: Decodable {
            var bucket: Int64; var zone: String; var segment: String; var channel: String?; var kind: String; var overdue: Int; var fen: Int64; var entries: Int
        }
        let entries: SQLQueryString = """
            FROM ledger_entries e JOIN bills b ON b.number = e.bill_number LEFT JOIN bays y ON y.code = b.bay_code
            """
        let within: SQLQueryString = "e.at_ms >= \(bind: range.lowerBound) AND e.at_ms < \(bind: range.upperBound)"
        let rows = try await sql.raw("""
            SELECT \(days.bucket("e.at_ms")) AS bucket, b.zone_id AS zone, COALESCE(y.segment_id, '') AS segment, p.channel AS channel, e.kind AS kind,
                   CASE WHEN e.kind = 'received' AND e.at_ms > b.due_ms THEN 1 ELSE 0 END AS overdue, CAST(SUM(e.amount_fen) AS BIGINT) AS fen, COUNT(*) AS entries
            \(entries) LEFT JOIN payments p ON e.kind = 'received' AND p.id = e.reference
            WHERE \(within) AND e.kind <> 'refund'
            GROUP BY 1, 2, 3, 4, 5, 6
            """).all(decoding: Row.self) + sql.raw("""
            SELECT \(days.bucket("e.at_ms")) AS bucket, b.zone_id AS zone, COALESCE(y.segment_id, '') AS segment, \(Self.refundChannel) AS channel,
                   'refund' AS kind, 0 AS overdue, CAST(SUM(e.amount_fen) AS BIGINT) AS fen, COUNT(*) AS entries
            \(entries)
            WHERE \(within) AND e.kind = 'refund'
            GROUP BY 1, 2, 3, 4
            """).all(decoding: Row.self)
        return rows.compactMap { row in
            LedgerEntry.Kind(rawValue: row.kind).map { kind in
                ReportFacts.Flow(
                    day: days.day(row.bucket), zone: row.zone, segment: row.segment, channel: row.channel.flatMap(PaymentChannel.init(rawValue:)), kind: kind,
                    overdue: row.overdue != 0, fen: Int(row.fen), entries: row.entries
                )
            }
        }
    }

    /// Each entry of a bill counts towards arrears from the later of its own time and the bill's due time.
    func arrears(_ range: Range<Int64>, days: DayBuckets, on sql: any SQLDatabase) async throws -> [ReportFacts.ArrearsChange] {
        struct Row: Decodable { var bucket: Int64; var zone: String; var segment: String; var fen: Int64 }
        let rows = try await sql.raw("""
            SELECT CASE WHEN t < \(bind: range.lowerBound) THEN -1 ELSE \(days.bucket("t")) END AS bucket, zone, segment, CAST(SUM(signed) AS BIGINT) AS fen
            FROM (SELECT CASE WHEN e.at_ms > b.due_ms THEN e.at_ms ELSE b.due_ms END AS t, b.zone_id AS zone, COALESCE(y.segment_id, '') AS segment,
                         CASE WHEN e.kind IN ('receivable', 'refund') THEN e.amount_fen ELSE -e.amount_fen END AS signed
                  FROM ledger_entries e JOIN bills b ON b.number = e.bill_number LEFT JOIN bays y ON y.code = b.bay_code
                  WHERE b.due_ms < \(bind: range.upperBound) AND e.at_ms < \(bind: range.upperBound)) x
            GROUP BY 1, 2, 3
            """).all(decoding: Row.self)
        return rows.map { row in
            ReportFacts.ArrearsChange(day: row.bucket < 0 ? nil : days.day(row.bucket), zone: row.zone, segment: row.segment, fen: Int(row.fen))
        }
    }

    func ledgerTotals(_ range: Range<Int64>, on sql: any SQLDatabase) async throws -> LedgerFigures {
        struct Row: Decodable { var kind: String; var fen: Int64; var entries: Int }
        guard !range.isEmpty else { return LedgerFigures() }
        var figures = LedgerFigures()
        for row in try await sql.raw("""
            SELECT kind, CAST(SUM(amount_fen) AS BIGINT) AS fen, COUNT(*) AS entries FROM ledger_entries
            WHERE at_ms >= \(bind: range.lowerBound) AND at_ms < \(bind: range.upperBound) GROUP BY kind
            """).all(decoding: Row.self) {
            if let kind = LedgerEntry.Kind(rawValue: row.kind) { figures.add(kind, fen: Int(row.fen), overdue: false, entries: row.entries) }
        }
        return figures
    }

    func zoneActivity(_ range: Range<Int64>, on sql: any SQLDatabase) async throws -> [String: ReportFacts.ZoneActivity] {
        struct Bays: Decodable { var zone_id: String; var bays: Int; var cameras: Int }
        struct Stays: Decodable { var zone_id: String; var sessions: Int; var camera_sessions: Int; var camera_reads: Int }
        var zones: [String: ReportFacts.ZoneActivity] = [:]
        for row in try await sql.raw("""
            SELECT zone_id, COUNT(*) AS bays, CAST(SUM(CASE WHEN camera_id IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS cameras FROM bays WHERE lifecycle = 'active' GROUP BY zone_id
            """).all(decoding: Bays.self) {
            zones[row.zone_id, default: .init()].bays = row.bays
            zones[row.zone_id, default: .init()].cameraBays = row.cameras
        }
        for row in try await sql.raw("""
            SELECT s.zone_id, COUNT(*) AS sessions, CAST(SUM(CASE WHEN y.camera_id IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS camera_sessions,
                   CAST(SUM(CASE WHEN y.camera_id IS NOT NULL AND s.quality = 'video_confirmed' THEN 1 ELSE 0 END) AS BIGINT) AS camera_reads
            FROM parking_sessions s LEFT JOIN bays y ON y.code = s.bay_code
            WHERE s.start_ms >= \(bind: range.lowerBound) AND s.start_ms < \(bind: range.upperBound) AND s.status <> 'void'
            GROUP BY s.zone_id
            """).all(decoding: Stays.self) {
            zones[row.zone_id, default: .init()].sessions = row.sessions
            zones[row.zone_id, default: .init()].cameraSessions = row.camera_sessions
            zones[row.zone_id, default: .init()].cameraReads = row.camera_reads
        }
        return zones
    }

    /// Stays overlapping the period, clipped to it (an open one runs to now), grouped by the quarter-hours they start and end in.
    func occupancySpans(_ range: Range<Int64>, now: Int64, on sql: any SQLDatabase) async throws -> [OccupancyGrid.Span] {
        struct Row: Decodable { var zone_id: String; var sq: Int64; var eq: Int64; var n: Int64; var starts: Int64; var ends: Int64 }
        let until = min(range.upperBound, now)
        guard until > range.lowerBound else { return [] }
        // SQLite's two-argument MAX and MIN are PostgreSQL's GREATEST and LEAST.
        let (greatest, least): (SQLQueryString, SQLQueryString) = store.kind == .postgres ? ("GREATEST", "LEAST") : ("MAX", "MIN")
        let rows = try await sql.raw("""
            SELECT zone_id, s / 900000 AS sq, e / 900000 AS eq, COUNT(*) AS n, CAST(SUM(s) AS BIGINT) AS starts, CAST(SUM(e) AS BIGINT) AS ends
            FROM (SELECT zone_id, \(greatest)(start_ms, \(bind: range.lowerBound)) AS s, \(least)(COALESCE(end_ms, \(bind: until)), \(bind: until)) AS e
                  FROM parking_sessions
                  WHERE start_ms < \(bind: until) AND (end_ms IS NULL OR end_ms > \(bind: range.lowerBound)) AND status <> 'void') x
            WHERE e > s
            GROUP BY 1, 2, 3
            """).all(decoding: Row.self)
        return rows.map { OccupancyGrid.Span(zone: $0.zone_id, startQuarter: $0.sq, endQuarter: $0.eq, count: $0.n, startSum: $0.starts, endSum: $0.ends) }
    }

    func deviceUptime(_ range: Range<Int64>, on sql: any SQLDatabase) async throws -> DeviceUptime {
        struct Device: Decodable { var device_id: String; var first_seen_ms: Int64 }
        struct Change: Decodable { var device_id: String; var kind: String; var at_ms: Int64 }
        var uptime = DeviceUptime()
        guard !range.isEmpty else { return uptime }
        let devices = try await sql.raw("SELECT device_id, first_seen_ms FROM devices WHERE first_seen_ms < \(bind: range.upperBound)").all(decoding: Device.self)
        let changes = Dictionary(grouping: try await sql.raw("""
            SELECT device_id, kind, at_ms FROM device_status_events WHERE at_ms < \(bind: range.upperBound) ORDER BY device_id, at_ms, id
            """).all(decoding: Change.self), by: \.device_id)
        for device in devices {
            let history = changes[device.device_id] ?? []
            let before = history.last { $0.at_ms < range.lowerBound }
            let within = history.filter { $0.at_ms >= range.lowerBound }.map { $0.kind == "comms_lost" ? DeviceUptime.Change.lost($0.at_ms) : .restored($0.at_ms) }
            uptime.add(firstSeen: device.first_seen_ms, onlineAtStart: before?.kind != "comms_lost", changes: within, period: range)
        }
        return uptime
    }

    func count(_ query: SQLQueryString, on sql: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { var n: Int }
        return try await sql.raw(query).first(decoding: Row.self)?.n ?? 0
    }
}
