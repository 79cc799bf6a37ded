import CurbsideCore
import SQLKit

/// The money side of a report read from the day sums (`ReportRollups`): the
/// same figures as summing every entry, at a cost that follows the days and
/// places of the period rather than the ledger's length.
extension ReportQueries {
    /// The sums are kept on each zone's local days: a report reads them when every zone keeps the report's time zone.
    func rollupsApply(to clock: ZoneClock, on sql: any SQLDatabase) async throws -> Bool {
        guard useRollups else { return false }
        struct Row: Decodable { var time_zone: String }
        let zones = try await sql.raw("SELECT DISTINCT time_zone FROM zones").all(decoding: Row.self).map(\.time_zone)
        return zones.allSatisfy { $0 == clock.identifier }
    }

    /// Zones' day sums and the pending deltas, as one table to select from.
    static let zoneDays: SQLQueryString = """
        (SELECT day, zone_id, channel, kind, overdue, non_stop, fen, entries FROM ledger_zone_days
         UNION ALL SELECT day, zone_id, channel, kind, overdue, non_stop, fen, entries FROM ledger_rollup_deltas)
        """

    /// The days' flows by day, and by segment over all the days: a city's segments by day would be a hundred times the rows.
    /// A whole month's segments come from the month sums, a part of one from the day sums.
    func rolledFlows(_ days: ClosedRange<Int>, on sql: any SQLDatabase) async throws -> ([ReportFacts.Flow], [ReportFacts.SegmentFlow]) {
        struct Row: Decodable { var day: Int; var zone_id: String; var channel: String; var kind: String; var overdue: Int; var non_stop: Int; var fen: Int; var entries: Int }
        struct SegmentRow: Decodable { var zone_id: String; var segment_id: String; var kind: String; var overdue: Int; var fen: Int; var entries: Int }
        let within: SQLQueryString = "day >= \(bind: days.lowerBound) AND day <= \(bind: days.upperBound) AND kind <> \(bind: ReportRollups.arrears)"
        let flows = try await sql.raw("""
            SELECT day, zone_id, channel, kind, overdue, non_stop, CAST(SUM(fen) AS BIGINT) AS fen, CAST(SUM(entries) AS BIGINT) AS entries
            FROM \(Self.zoneDays) r WHERE \(within)
            GROUP BY 1, 2, 3, 4, 5, 6 HAVING SUM(entries) <> 0
            """).all(decoding: Row.self).compactMap { row in
            LedgerEntry.Kind(rawValue: row.kind).map { kind in
                ReportFacts.Flow(
                    day: row.day, zone: row.zone_id, channel: PaymentChannel(rawValue: row.channel), kind: kind,
                    overdue: row.overdue != 0, fen: row.fen, entries: row.entries, nonStop: row.non_stop != 0
                )
            }
        }
        let month = ReportRollups.monthDay(of: days.lowerBound)
        let wholeMonth = days.lowerBound == month && ReportRollups.monthDay(of: days.upperBound + 1) == days.upperBound + 1
        let source: SQLQueryString = wholeMonth ? """
            (SELECT zone_id, segment_id, kind, overdue, fen, entries FROM ledger_segment_months
             WHERE month_day = \(bind: month) AND kind <> \(bind: ReportRollups.arrears)
             UNION ALL SELECT zone_id, segment_id, kind, overdue, fen, entries FROM ledger_rollup_deltas WHERE \(within))
            """ : "(SELECT zone_id, segment_id, kind, overdue, fen, entries FROM \(ReportRollups.all) a WHERE \(within))"
        let segments = try await sql.raw("""
            SELECT zone_id, segment_id, kind, overdue, CAST(SUM(fen) AS BIGINT) AS fen, CAST(SUM(entries) AS BIGINT) AS entries
            FROM \(source) r GROUP BY 1, 2, 3, 4 HAVING SUM(entries) <> 0
            """).all(decoding: SegmentRow.self).compactMap { row in
            LedgerEntry.Kind(rawValue: row.kind).map { ReportFacts.SegmentFlow(zone: row.zone_id, segment: row.segment_id, kind: $0, overdue: row.overdue != 0, fen: row.fen, entries: row.entries) }
        }
        return (flows, segments)
    }

    /// Arrears changes by day (before `first` as the opening), and each segment's balance through `last`: the months
    /// before `last`'s from the month sums, its month's days from the day sums, and what is pending from the deltas.
    func rolledArrears(through last: Int, first: Int, on sql: any SQLDatabase) async throws -> ([ReportFacts.ArrearsChange], [ReportFacts.SegmentArrears]) {
        struct Row: Decodable { var bucket: Int; var zone_id: String; var fen: Int }
        struct SegmentRow: Decodable { var zone_id: String; var segment_id: String; var fen: Int }
        let through: SQLQueryString = "kind = \(bind: ReportRollups.arrears) AND day <= \(bind: last)"
        let changes = try await sql.raw("""
            SELECT CASE WHEN day < \(bind: first) THEN -1 ELSE day END AS bucket, zone_id, CAST(SUM(fen) AS BIGINT) AS fen
            FROM \(Self.zoneDays) r WHERE \(through)
            GROUP BY 1, 2 HAVING SUM(entries) <> 0
            """).all(decoding: Row.self).map { ReportFacts.ArrearsChange(day: $0.bucket < 0 ? nil : $0.bucket, zone: $0.zone_id, fen: $0.fen) }
        let month = ReportRollups.monthDay(of: last)
        let balances = try await sql.raw("""
            SELECT zone_id, segment_id, CAST(SUM(fen) AS BIGINT) AS fen FROM (
                SELECT zone_id, segment_id, fen, entries FROM ledger_segment_months WHERE kind = \(bind: ReportRollups.arrears) AND month_day < \(bind: month)
                UNION ALL SELECT zone_id, segment_id, fen, entries FROM ledger_rollups WHERE \(through) AND day >= \(bind: month)
                UNION ALL SELECT zone_id, segment_id, fen, entries FROM ledger_rollup_deltas WHERE \(through)
            ) r GROUP BY 1, 2 HAVING SUM(entries) <> 0
            """).all(decoding: SegmentRow.self).map { ReportFacts.SegmentArrears(zone: $0.zone_id, segment: $0.segment_id, fen: $0.fen) }
        return (changes, balances)
    }

    func rolledTotals(_ days: Range<Int>, on sql: any SQLDatabase) async throws -> LedgerFigures {
        struct Row: Decodable { var kind: String; var fen: Int; var entries: Int }
        var figures = LedgerFigures()
        guard !days.isEmpty else { return figures }
        for row in try await sql.raw("""
            SELECT kind, CAST(SUM(fen) AS BIGINT) AS fen, CAST(SUM(entries) AS BIGINT) AS entries FROM \(Self.zoneDays) r
            WHERE day >= \(bind: days.lowerBound) AND day < \(bind: days.upperBound) AND kind <> \(bind: ReportRollups.arrears)
            GROUP BY kind HAVING SUM(entries) <> 0
            """).all(decoding: Row.self) {
            if let kind = LedgerEntry.Kind(rawValue: row.kind) { figures.add(kind, fen: row.fen, overdue: false, entries: row.entries) }
        }
        return figures
    }
}
