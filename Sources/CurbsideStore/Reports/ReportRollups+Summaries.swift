import CurbsideCore
import SQLKit

/// The day sums summed coarser, kept beside them by the same job: each zone's
/// day over every segment (`ledger_zone_days`: the report's days, zones,
/// channels, arrears by day and the year's totals) and each segment's month
/// (`ledger_segment_months`: the segment drill-down of a whole month, and
/// arrears balances before the month). A report's reads then follow the
/// city's zones and segments, not its segments times its days of history.
extension ReportRollups {
    struct ZoneDay: Hashable, Comparable {
        var day: Int
        var zone: String
        var channel: String
        var kind: String
        var overdue: Bool
        var nonStop: Bool

        static func < (a: ZoneDay, b: ZoneDay) -> Bool {
            (a.day, a.zone, a.channel, a.kind, a.overdue ? 1 : 0, a.nonStop ? 1 : 0) < (b.day, b.zone, b.channel, b.kind, b.overdue ? 1 : 0, b.nonStop ? 1 : 0)
        }
    }

    struct SegmentMonth: Hashable, Comparable {
        /// The local month's first day.
        var monthDay: Int
        var zone: String
        var segment: String
        var kind: String
        var overdue: Bool

        static func < (a: SegmentMonth, b: SegmentMonth) -> Bool {
            (a.monthDay, a.zone, a.segment, a.kind, a.overdue ? 1 : 0) < (b.monthDay, b.zone, b.segment, b.kind, b.overdue ? 1 : 0)
        }
    }

    typealias Sum = (fen: Int64, entries: Int64)

    /// The first day of the local month holding `day`.
    static func monthDay(of day: Int) -> Int {
        let date = LocalDate(dayNumber: day)
        return LocalDate(year: date.year, month: date.month, day: 1)!.dayNumber
    }

    /// Adds day sums to the coarser sums, in key order as `insert` does.
    static func summarise(_ sums: [Key: Sum], on sql: any SQLDatabase) async throws {
        var days: [ZoneDay: Sum] = [:]
        var months: [SegmentMonth: Sum] = [:]
        for (key, sum) in sums {
            let day = ZoneDay(day: key.day, zone: key.zone, channel: key.channel, kind: key.kind, overdue: key.overdue, nonStop: key.nonStop)
            days[day, default: (0, 0)].fen += sum.fen
            days[day, default: (0, 0)].entries += sum.entries
            let month = SegmentMonth(monthDay: monthDay(of: key.day), zone: key.zone, segment: key.segment, kind: key.kind, overdue: key.overdue)
            months[month, default: (0, 0)].fen += sum.fen
            months[month, default: (0, 0)].entries += sum.entries
        }
        try await add(days.sorted(by: { $0.key < $1.key }).map { key, sum in
            """
            (\(bind: Int32(key.day)), \(bind: key.zone), \(bind: key.channel), \(bind: key.kind), \(bind: Int16(key.overdue ? 1 : 0)),
             \(bind: Int16(key.nonStop ? 1 : 0)), \(bind: sum.fen), \(bind: sum.entries))
            """
        }, into: "ledger_zone_days", keys: "day, zone_id, channel, kind, overdue, non_stop", on: sql)
        try await add(months.sorted(by: { $0.key < $1.key }).map { key, sum in
            """
            (\(bind: Int32(key.monthDay)), \(bind: key.zone), \(bind: key.segment), \(bind: key.kind), \(bind: Int16(key.overdue ? 1 : 0)),
             \(bind: sum.fen), \(bind: sum.entries))
            """
        }, into: "ledger_segment_months", keys: "month_day, zone_id, segment_id, kind, overdue", on: sql)
    }

    /// Adds rows of (keys, fen, entries) to the sums of `table`, in the order given.
    static func add(_ rows: [SQLQueryString], into table: String, keys: String, on sql: any SQLDatabase) async throws {
        for chunk in rows.chunks(of: 300) {
            try await sql.raw("""
                INSERT INTO \(ident: table) (\(unsafeRaw: keys), fen, entries) VALUES \(chunk.joined(separator: ", "))
                ON CONFLICT (\(unsafeRaw: keys)) DO UPDATE SET fen = \(ident: table).fen + excluded.fen, entries = \(ident: table).entries + excluded.entries
                """).run()
        }
    }

    /// Rebuilds the coarser sums from the day sums, a month of days at a time: what the migration that added them,
    /// and a benchmark that writes its sums with `rebuild`, start from.
    public static func summarise(on sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM ledger_zone_days").run()
        try await sql.raw("DELETE FROM ledger_segment_months").run()
        struct Span: Decodable { var first: Int?; var last: Int? }
        guard let span = try await sql.raw("SELECT MIN(day) AS first, MAX(day) AS last FROM ledger_rollups").first(decoding: Span.self),
              let first = span.first, let last = span.last else { return }
        for start in stride(from: first, through: last, by: 31) {
            let rows = try await sql.raw("""
                SELECT \(columns), fen, entries FROM ledger_rollups WHERE day >= \(bind: Int32(start)) AND day < \(bind: Int32(start + 31))
                """).all(decoding: SumRow.self)
            try await summarise(Dictionary(rows.map { ($0.key, (fen: $0.fen, entries: $0.entries)) }, uniquingKeysWith: { $1 }), on: sql)
        }
    }
}
