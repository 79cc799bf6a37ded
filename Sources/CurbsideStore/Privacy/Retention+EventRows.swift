import CurbsideCore
import SQLKit

/// Device events past their rows' period go, except those still needed: any
/// whose personal data anonymisation held back (a legal hold on the plate, a
/// held session's reads), and any a held session covers (its detector's
/// reports are the evidence of its times). On PostgreSQL a month goes whole
/// once all of it is past, its held events put back into the default
/// partition; what the default partition holds past the period, and every
/// such event on SQLite, goes row by row.
extension Retention {
    /// Events of `e` a session covers: the same bay, from its start to its end (or `openEnd` for an open one).
    static func covered(_ e: SQLQueryString, by s: SQLQueryString, openEnd: SQLQueryString) -> SQLQueryString {
        "\(s).bay_code = \(e).bay_code AND \(e).device_time_ms >= \(s).start_ms AND \(e).device_time_ms <= COALESCE(\(s).end_ms, \(openEnd))"
    }

    static func personal(_ e: SQLQueryString) -> SQLQueryString {
        "((\(e).plate IS NOT NULL AND \(e).plate NOT LIKE '~%') OR (\(e).images IS NOT NULL AND \(e).images <> '[]'))"
    }

    /// PostgreSQL: drops the months of events that end before the cutoff. Returns the months and the events that went.
    func dropEventMonths(before cutoff: Int64) async throws -> (months: Int, rows: Int) {
        let partitions = MonthlyPartitions.deviceEvents
        let months = try await store.write(on: database) { try await partitions.months(on: $0.sql) }
        var dropped = 0, rows = 0
        for month in months where MonthlyPartitions.start(of: month.next) <= cutoff {
            // Held sessions overlapping the month first, then their events through the month's (bay, time) index:
            // a month holds millions of events and a few thousand held stays.
            rows += try await partitions.drop(month, keeping: { partition, range in
                """
                SELECT e.* FROM \(ident: partition) e WHERE \(Self.personal("e"))
                UNION
                SELECT e.* FROM parking_sessions s JOIN \(ident: partition) e ON \(Self.covered("e", by: "s", openEnd: "\(bind: range.upperBound)"))
                WHERE s.start_ms < \(bind: range.upperBound) AND (s.end_ms IS NULL OR s.end_ms >= \(bind: range.lowerBound)) AND \(Self.held("s"))
                """
            }, store: store, database: database)
            dropped += 1
        }
        return (dropped, rows)
    }

    /// Events before the cutoff that nothing holds, a batch at a time, walking them in time order: returns the events
    /// the batch walked (fewer than a batch: the walk is done) and those it removed.
    func eventRows(before cutoff: Int64, after cursor: inout Cursor) async throws -> (walked: Int, removed: Int) {
        let from = (time: cursor.time, id: Int64(cursor.id) ?? 0)
        let table: SQLQueryString = store.kind == .postgres ? "device_events_default" : "device_events"
        struct Row: Decodable { var id: Int64; var device_time_ms: Int64; var held: Int }
        let rows = try await store.write(on: database) { db in
            let sql = db.sql
            let rows = try await sql.raw("""
                SELECT e.id, e.device_time_ms, CASE WHEN \(Self.personal("e")) OR EXISTS (
                    SELECT 1 FROM parking_sessions s WHERE \(Self.covered("e", by: "s", openEnd: "e.device_time_ms")) AND \(Self.held("s"))) THEN 1 ELSE 0 END AS held
                FROM \(table) e
                WHERE e.device_time_ms < \(bind: cutoff) AND (e.device_time_ms, e.id) > (\(bind: from.time), \(bind: from.id))
                ORDER BY e.device_time_ms, e.id LIMIT \(bind: Self.batch)
                """).all(decoding: Row.self)
            let gone = rows.filter { $0.held == 0 }.map(\.id)
            if !gone.isEmpty { try await sql.raw("DELETE FROM \(table) WHERE id IN (\(binds: gone))").run() }
            return rows
        }
        if let last = rows.last { cursor = Cursor(time: last.device_time_ms, id: String(last.id)) }
        return (rows.count, rows.filter { $0.held == 0 }.count)
    }
}
