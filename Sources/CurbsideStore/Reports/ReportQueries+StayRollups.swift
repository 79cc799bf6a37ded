import CurbsideCore
import SQLKit

/// The operating side of a report read from the stays' sums (`StayRollups`):
/// the same figures as reading every stay, at a cost that follows the days of
/// the period rather than the stays in it.
extension ReportQueries {
    /// Each zone's stays that started on the days, at camera bays, and read by a camera.
    func rolledStays(_ days: ClosedRange<Int>, on sql: any SQLDatabase) async throws -> [String: ReportFacts.ZoneActivity] {
        struct Row: Decodable { var zone_id: String; var stays: Int; var camera_stays: Int; var reads: Int }
        var zones: [String: ReportFacts.ZoneActivity] = [:]
        for row in try await sql.raw("""
            SELECT zone_id, CAST(SUM(stays) AS BIGINT) AS stays, CAST(SUM(CASE WHEN camera = 1 THEN stays ELSE 0 END) AS BIGINT) AS camera_stays,
                   CAST(SUM(reads) AS BIGINT) AS reads
            FROM \(StayRollups.days) d WHERE day >= \(bind: days.lowerBound) AND day <= \(bind: days.upperBound)
            GROUP BY zone_id HAVING SUM(stays) <> 0
            """).all(decoding: Row.self) {
            zones[row.zone_id] = .init(sessions: row.stays, cameraSessions: row.camera_stays, cameraReads: row.reads)
        }
        return zones
    }

    /// Occupied time from the period's start to `until`: closed stays' time in the quarter-hours before the
    /// one `until` falls in from the sums (the period starts on a quarter-hour), and from the stays themselves
    /// the rest: open stays from the period's start, and closed ones' time from that quarter-hour to `until`.
    func rolledOccupancy(_ range: Range<Int64>, until: Int64, on sql: any SQLDatabase) async throws -> ([OccupancyGrid.QuarterSum], [OccupancyGrid.Span]) {
        struct Row: Decodable { var zone_id: String; var quarter: Int64; var ms: Int64 }
        let quarter = OccupancyGrid.quarter
        let cut = until / quarter * quarter
        let sums = try await sql.raw("""
            SELECT zone_id, quarter, CAST(SUM(ms) AS BIGINT) AS ms FROM \(StayRollups.quarters) q
            WHERE quarter >= \(bind: range.lowerBound / quarter) AND quarter < \(bind: cut / quarter)
            GROUP BY zone_id, quarter HAVING SUM(ms) <> 0
            """).all(decoding: Row.self).map { OccupancyGrid.QuarterSum(zone: $0.zone_id, quarter: $0.quarter, ms: $0.ms) }
        // Closed stays ending after `cut` are read only when `cut` falls short of `until`: at a past period's end it does
        // not, and those would be every stay since.
        let closed: SQLQueryString = cut < until ? " OR end_ms > \(bind: cut)" : ""
        let spans = try await spans(
            from: "CASE WHEN end_ms IS NULL THEN \(bind: range.lowerBound) ELSE \(bind: cut) END", until: until,
            where: "(end_ms IS NULL\(closed)) AND start_ms < \(bind: until)", on: sql
        )
        return (sums, spans)
    }
}
