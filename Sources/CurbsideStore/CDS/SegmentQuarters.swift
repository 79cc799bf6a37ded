import CurbsideCore
import FluentKit
import SQLKit

/// The CDS aggregates' figures of ended stays kept summed per road segment and
/// UTC quarter-hour (`QuarterFigures`), so the city's areas or segments for a
/// day read a few rows a segment an hour instead of every stay. A stay counts
/// under its bay's segment while the bay is in service, as the aggregates
/// count places: a bay that moves or leaves service takes its stays along
/// (`moveBays`), and a segment moved to another zone takes its own by the read.
/// Fusion adds deltas in its transaction and the report-sums job folds them
/// in, as for the report's sums; readers take sums and deltas together.
public struct SegmentQuarters: Sendable {
    let store: Store
    let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    struct Key: Hashable, Comparable {
        var quarter: Int64
        var segment: String

        static func < (a: Key, b: Key) -> Bool { (a.quarter, a.segment) < (b.quarter, b.segment) }
    }

    typealias Sums = [Key: QuarterFigures]

    static func add(start: Int64, end: Int64, segment: String, sign: Int64, into sums: inout Sums) {
        for (quarter, figures) in QuarterFigures.of(start: start, end: end) {
            sums[Key(quarter: quarter, segment: segment), default: .init()] += sign < 0 ? -figures : figures
        }
    }

    /// The segments of the bays in service among `bays`.
    static func segments(of bays: Set<String>, on sql: any SQLDatabase) async throws -> [String: String] {
        struct Row: Decodable { var code: String; var segment_id: String }
        var segments: [String: String] = [:]
        for chunk in bays.sorted().chunks(of: 500) {
            let rows = try await sql.raw("""
                SELECT code, segment_id FROM bays WHERE lifecycle = 'active' AND code IN (\(binds: Array(chunk)))
                """).all(decoding: Row.self)
            for row in rows { segments[row.code] = row.segment_id }
        }
        return segments
    }

    /// Adds the deltas of sessions changed in a fusion round: each pair is a session as
    /// it was stored (nil when new) and as it is now (nil when removed or voided).
    static func record(_ changes: [(before: SessionRow?, after: SessionRow?)], on sql: any SQLDatabase) async throws {
        let ended = changes.filter { $0.before?.end != nil || $0.after?.end != nil }
        guard !ended.isEmpty else { return }
        let segments = try await segments(of: Set(ended.compactMap { ($0.after ?? $0.before)?.bay }), on: sql)
        var sums: Sums = [:]
        for change in ended {
            for (row, sign) in [(change.before, Int64(-1)), (change.after, 1)] {
                guard let row, let end = row.end, let segment = segments[row.bay] else { continue }
                add(start: row.start, end: end, segment: segment, sign: sign, into: &sums)
            }
        }
        try await insert(sums, deltas: true, on: sql)
    }

    /// A bay that changed segment, or came into or went out of service, moves its
    /// stays' figures from the segment they counted under (nil: none) to the one
    /// they count under now, once fusion is held off (`FoldLock`). A whole
    /// district's bays move in a few statements, not a few for each bay.
    static func moveBays(_ moves: [(code: String, from: String?, to: String?)], on sql: any SQLDatabase) async throws {
        var segments: [String: (from: String?, to: String?)] = [:]
        for move in moves where move.from != move.to { segments[move.code] = (move.from, move.to) }
        guard !segments.isEmpty else { return }
        let codes = segments.keys.sorted()
        try await FoldLock.exclude(on: sql)
        struct Row: Decodable { var bay_code: String; var start_ms: Int64; var end_ms: Int64 }
        var sums: Sums = [:]
        for chunk in codes.chunks(of: 500) {
            let rows = try await sql.raw("""
                SELECT bay_code, start_ms, end_ms FROM parking_sessions
                WHERE bay_code IN (\(binds: Array(chunk))) AND status <> 'void' AND end_ms IS NOT NULL
                """).all(decoding: Row.self)
            for row in rows {
                guard let move = segments[row.bay_code] else { continue }
                if let from = move.from { add(start: row.start_ms, end: row.end_ms, segment: from, sign: -1, into: &sums) }
                if let to = move.to { add(start: row.start_ms, end: row.end_ms, segment: to, sign: 1, into: &sums) }
            }
        }
        try await insert(sums, deltas: true, on: sql)
    }

    /// Folds up to `limit` deltas into the sums in one transaction; returns how many it took.
    @discardableResult
    public func consolidate(limit: Int = 10_000) async throws -> Int {
        try await store.write(on: database) { db in
            let skipLocked: SQLQueryString = store.kind == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let rows = try await db.sql.raw("""
                DELETE FROM segment_quarter_deltas WHERE id IN (SELECT id FROM segment_quarter_deltas ORDER BY id LIMIT \(bind: limit)\(skipLocked))
                RETURNING segment_id, quarter, starts, dwell_ms, ends, occupied_ms
                """).all()
            var sums: Sums = [:]
            for row in rows {
                let key = Key(quarter: try row.decode(column: "quarter", as: Int64.self), segment: try row.decode(column: "segment_id", as: String.self))
                sums[key, default: .init()] += try Self.figures(row)
            }
            try await Self.insert(sums, deltas: false, on: db.sql)
            return rows.count
        }
    }

    static func figures(_ row: any SQLRow) throws -> QuarterFigures {
        QuarterFigures(
            starts: try row.decode(column: "starts", as: Int64.self), dwellMs: try row.decode(column: "dwell_ms", as: Int64.self),
            ends: try row.decode(column: "ends", as: Int64.self), occupiedMs: try row.decode(column: "occupied_ms", as: Int64.self)
        )
    }

    /// Writes sums as deltas, or adds them to the sums, in key order (so two transactions adding to the same sums
    /// take their rows in the same order); figures that cancel out are left out.
    static func insert(_ sums: Sums, deltas: Bool, on sql: any SQLDatabase) async throws {
        let rows = sums.filter { !$0.value.isZero }.sorted { $0.key < $1.key }
        let table = deltas ? "segment_quarter_deltas" : "segment_quarters"
        let merging: SQLQueryString = deltas ? "" : """
             ON CONFLICT (quarter, segment_id) DO UPDATE SET starts = segment_quarters.starts + excluded.starts,
            dwell_ms = segment_quarters.dwell_ms + excluded.dwell_ms, ends = segment_quarters.ends + excluded.ends,
            occupied_ms = segment_quarters.occupied_ms + excluded.occupied_ms
            """
        for chunk in rows.chunks(of: 500) {
            let values = chunk.map { key, f in
                "(\(bind: key.segment), \(bind: key.quarter), \(bind: f.starts), \(bind: f.dwellMs), \(bind: f.ends), \(bind: f.occupiedMs))" as SQLQueryString
            }.joined(separator: ", ")
            try await sql.raw("""
                INSERT INTO \(ident: table) (segment_id, quarter, starts, dwell_ms, ends, occupied_ms) VALUES \(values)\(merging)
                """).run()
        }
    }

    /// The figures of `quarters` (quarter numbers), summed by the zone each segment is in now or by segment.
    public func figures(in quarters: Range<Int64>, byZone: Bool) async throws -> [(place: String, quarter: Int64, figures: QuarterFigures)] {
        let within: SQLQueryString = "quarter >= \(bind: quarters.lowerBound) AND quarter < \(bind: quarters.upperBound)"
        let columns = "segment_id, quarter, starts, dwell_ms, ends, occupied_ms"
        let place: SQLQueryString = byZone ? "g.zone_id" : "q.segment_id"
        let zones: SQLQueryString = byZone ? " JOIN road_segments g ON g.id = q.segment_id" : ""
        let rows = try await database.sql.raw("""
            SELECT \(place) AS place, q.quarter, CAST(SUM(q.starts) AS BIGINT) AS starts, CAST(SUM(q.dwell_ms) AS BIGINT) AS dwell_ms,
                   CAST(SUM(q.ends) AS BIGINT) AS ends, CAST(SUM(q.occupied_ms) AS BIGINT) AS occupied_ms
            FROM (SELECT \(unsafeRaw: columns) FROM segment_quarters WHERE \(within)
                  UNION ALL SELECT \(unsafeRaw: columns) FROM segment_quarter_deltas WHERE \(within)) q\(zones)
            GROUP BY 1, 2
            """).all()
        return try rows.map { row in
            (try row.decode(column: "place", as: String.self), try row.decode(column: "quarter", as: Int64.self), try Self.figures(row))
        }
    }

    /// Rebuilds every sum from the stored sessions, a day of stay starts at a time: a stay adds only to quarters
    /// from its start on, so once a day is read every quarter before the next day is complete and written.
    public static func rebuild(on sql: any SQLDatabase) async throws {
        for table in ["segment_quarter_deltas", "segment_quarters"] {
            try await sql.raw("DELETE FROM \(ident: table)").run()
        }
        struct Span: Decodable { var first: Int64?; var last: Int64? }
        struct Row: Decodable { var segment_id: String; var start_ms: Int64; var end_ms: Int64 }
        guard let span = try await sql.raw("SELECT MIN(start_ms) AS first, MAX(start_ms) AS last FROM parking_sessions WHERE end_ms IS NOT NULL")
            .first(decoding: Span.self), let first = span.first, let last = span.last else { return }
        var sums: Sums = [:]
        var day = first - ((first % Milliseconds.day) + Milliseconds.day) % Milliseconds.day
        while day <= last {
            let next = day + Milliseconds.day
            let rows = try await sql.raw("""
                SELECT b.segment_id, s.start_ms, s.end_ms FROM parking_sessions s JOIN bays b ON b.code = s.bay_code AND b.lifecycle = 'active'
                WHERE s.start_ms >= \(bind: day) AND s.start_ms < \(bind: next) AND s.end_ms IS NOT NULL AND s.status <> 'void'
                """).all(decoding: Row.self)
            for row in rows { add(start: row.start_ms, end: row.end_ms, segment: row.segment_id, sign: 1, into: &sums) }
            let done = sums.filter { $0.key.quarter < next / QuarterFigures.quarter }
            try await insert(done, deltas: false, on: sql)
            sums = sums.filter { $0.key.quarter >= next / QuarterFigures.quarter }
            day = next
        }
        try await insert(sums, deltas: false, on: sql)
    }
}
