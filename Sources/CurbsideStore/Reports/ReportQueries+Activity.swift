import CurbsideCore
import SQLKit

/// The operating side of a report: bays, stays, occupancy and device uptime.
extension ReportQueries {
    /// Each zone's bays in service.
    func zoneBays(on sql: any SQLDatabase) async throws -> [String: Int] {
        struct Row: Decodable { var zone_id: String; var bays: Int }
        let rows = try await sql.raw("SELECT zone_id, COUNT(*) AS bays FROM bays WHERE lifecycle = 'active' GROUP BY zone_id").all(decoding: Row.self)
        return Dictionary(rows.map { ($0.zone_id, $0.bays) }) { $1 }
    }

    /// Each zone's stays that started in the period, at camera bays, and read by a camera.
    func zoneStays(_ range: Range<Int64>, on sql: any SQLDatabase) async throws -> [String: ReportFacts.ZoneActivity] {
        struct Row: Decodable { var zone_id: String; var sessions: Int; var camera_sessions: Int; var camera_reads: Int }
        var zones: [String: ReportFacts.ZoneActivity] = [:]
        for row in try await sql.raw("""
            SELECT s.zone_id, COUNT(*) AS sessions, CAST(SUM(CASE WHEN y.camera_id IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS camera_sessions,
                   CAST(SUM(CASE WHEN y.camera_id IS NOT NULL AND s.quality = 'video_confirmed' THEN 1 ELSE 0 END) AS BIGINT) AS camera_reads
            FROM parking_sessions s LEFT JOIN bays y ON y.code = s.bay_code
            WHERE s.start_ms >= \(bind: range.lowerBound) AND s.start_ms < \(bind: range.upperBound) AND s.status <> 'void'
            GROUP BY s.zone_id
            """).all(decoding: Row.self) {
            zones[row.zone_id] = .init(sessions: row.sessions, cameraSessions: row.camera_sessions, cameraReads: row.camera_reads)
        }
        return zones
    }

    /// Stays overlapping the period, clipped to it (an open one runs to now), grouped by the quarter-hours they start and end in.
    func occupancySpans(_ range: Range<Int64>, now: Int64, on sql: any SQLDatabase) async throws -> [OccupancyGrid.Span] {
        let until = min(range.upperBound, now)
        guard until > range.lowerBound else { return [] }
        return try await spans(
            from: "\(bind: range.lowerBound)", until: until,
            where: "start_ms < \(bind: until) AND (end_ms IS NULL OR end_ms > \(bind: range.lowerBound))", on: sql
        )
    }

    /// The stays a condition picks, each from the later of its start and `from` (an SQL expression) to the
    /// earlier of its end and `until` (an open one's end), grouped as `OccupancyGrid.Span`s.
    func spans(from: SQLQueryString, until: Int64, where condition: SQLQueryString, on sql: any SQLDatabase) async throws -> [OccupancyGrid.Span] {
        struct Row: Decodable { var zone_id: String; var sq: Int64; var eq: Int64; var n: Int64; var starts: Int64; var ends: Int64 }
        // SQLite's two-argument MAX and MIN are PostgreSQL's GREATEST and LEAST.
        let (greatest, least): (SQLQueryString, SQLQueryString) = store.kind == .postgres ? ("GREATEST", "LEAST") : ("MAX", "MIN")
        let rows = try await sql.raw("""
            SELECT zone_id, s / 900000 AS sq, e / 900000 AS eq, COUNT(*) AS n, CAST(SUM(s) AS BIGINT) AS starts, CAST(SUM(e) AS BIGINT) AS ends
            FROM (SELECT zone_id, \(greatest)(start_ms, \(from)) AS s, \(least)(COALESCE(end_ms, \(bind: until)), \(bind: until)) AS e
                  FROM parking_sessions WHERE \(condition) AND status <> 'void') x
            WHERE e > s
            GROUP BY 1, 2, 3
            """).all(decoding: Row.self)
        return rows.map { OccupancyGrid.Span(zone: $0.zone_id, startQuarter: $0.sq, endQuarter: $0.eq, count: $0.n, startSum: $0.starts, endSum: $0.ends) }
    }

    func deviceUptime(_ range: Range<Int64>, on sql: any SQLDatabase) async throws -> DeviceUptime {
        struct Device: Decodable { var device_id: String; var first_seen_ms: Int64 }
        var uptime = DeviceUptime()
        guard !range.isEmpty else { return uptime }
        let devices = try await sql.raw("SELECT device_id, first_seen_ms FROM devices WHERE first_seen_ms < \(bind: range.upperBound)").all(decoding: Device.self)
        let windows = try await DeviceStatusHistory.windows(for: range, on: sql)
        for device in devices {
            let window = windows[device.device_id] ?? .init()
            uptime.add(firstSeen: device.first_seen_ms, onlineAtStart: !window.lostAtStart, changes: window.changes, period: range)
        }
        return uptime
    }
}
