import CurbsideCore
import SQLKit

/// Device events past their rows' period go, except those a dispute still
/// needs: the events of a stay under appeal, in an open enforcement case or
/// under a legal hold (its detector's reports are the evidence of its times),
/// and events that still carry a plate under a legal hold. An unpaid bill
/// alone keeps its stay's plate (retention's other kinds) but not the raw
/// events: the session and the bill hold what collecting it needs. On
/// PostgreSQL a month goes whole once all of it is past, the events still
/// needed put back into the default partition; what the default partition
/// holds past the period, and every such event on SQLite, goes row by row.
extension Retention {
    /// The stays a dispute holds, as a `WITH` list: few, so every check below starts from them.
    static let disputed: SQLQueryString = """
        disputed(bay_code, start_ms, end_ms) AS (
            SELECT s.bay_code, s.start_ms, s.end_ms FROM appeals a JOIN bills b ON b.number = a.bill_number
            JOIN parking_sessions s ON s.id = b.session_id WHERE a.status = 'in_progress'
            UNION SELECT s.bay_code, s.start_ms, s.end_ms FROM enforcement_cases c JOIN case_bills cb ON cb.case_id = c.id
            JOIN bills b ON b.number = cb.bill_number JOIN parking_sessions s ON s.id = b.session_id WHERE c.status = 'open'
            UNION SELECT s.bay_code, s.start_ms, s.end_ms FROM legal_holds h JOIN parking_sessions s
            ON s.id = h.session_id OR (s.plate = h.plate AND (h.plate_colour IS NULL OR h.plate_colour = s.plate_colour)) WHERE h.released_ms IS NULL)
        """

    /// An event `e` a disputed stay covers (an open one, to `openEnd`).
    static func covered(_ e: SQLQueryString, openEnd: SQLQueryString) -> SQLQueryString {
        "d.bay_code = \(e).bay_code AND \(e).device_time_ms >= d.start_ms AND \(e).device_time_ms <= COALESCE(d.end_ms, \(openEnd))"
    }

    /// An event `e` whose plate, not yet a pseudonym, is under a legal hold.
    static func heldPlate(_ e: SQLQueryString) -> SQLQueryString {
        """
        (\(e).plate IS NOT NULL AND \(e).plate NOT LIKE '~%'
         AND EXISTS (SELECT 1 FROM legal_holds h WHERE h.released_ms IS NULL AND h.plate = \(e).plate))
        """
    }

    /// PostgreSQL: drops the months of events that end before the cutoff. Returns the months and the events that went.
    func dropEventMonths(before cutoff: Int64) async throws -> (months: Int, rows: Int) {
        let partitions = MonthlyPartitions.deviceEvents
        let months = try await store.write(on: database) { try await partitions.months(on: $0.sql) }
        var dropped = 0, rows = 0
        for month in months where MonthlyPartitions.start(of: month.next) <= cutoff {
            // The disputed stays first, then their events through the month's (bay, time) index; held plates through
            // its index of rows still holding personal data.
            rows += try await partitions.drop(month, keeping: { partition, range in
                """
                WITH \(Self.disputed)
                SELECT e.* FROM disputed d JOIN \(ident: partition) e ON \(Self.covered("e", openEnd: "\(bind: range.upperBound)"))
                UNION
                SELECT e.* FROM \(ident: partition) e WHERE \(Self.personal("e")) AND \(Self.heldPlate("e"))
                """
            }, store: store, database: database)
            dropped += 1
        }
        return (dropped, rows)
    }

    static func personal(_ e: SQLQueryString) -> SQLQueryString {
        "((\(e).plate IS NOT NULL AND \(e).plate NOT LIKE '~%') OR (\(e).images IS NOT NULL AND \(e).images <> '[]'))"
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
                WITH \(Self.disputed)
                SELECT e.id, e.device_time_ms, CASE WHEN \(Self.heldPlate("e"))
                    OR EXISTS (SELECT 1 FROM disputed d WHERE \(Self.covered("e", openEnd: "e.device_time_ms"))) THEN 1 ELSE 0 END AS held
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
