import CurbsideCore
import CurbsideStore
import Foundation
import SQLKit

/// A city of any size with days of history, written straight into
/// PostgreSQL: the sample district's bays and as many more on new road
/// segments of twenty bays (a detector each, a camera per four), then the
/// history of `BenchMonthData` (stays, bills, payments, the ledger and its day
/// sums) with each stay's device events (a detector's arrival, heartbeats and
/// departure, a camera's reads with an image each: about seventy a bay a day,
/// as the simulator's days have), and each bay's fold checkpoints and tail as a
/// server that folded those days leaves them.
struct BenchCity {
    var bays: Int
    var history: Range<Int64>
    /// Stays per bay per day, as the sample district's simulated days have.
    static let staysPerDay = 7

    func write(on sql: any SQLDatabase) async throws {
        try await grow(on: sql)
        let days = Int((history.upperBound - history.lowerBound) / Milliseconds.day)
        try await BenchMonthData(sessions: bays * days * Self.staysPerDay, month: history).write(on: sql)
        // The server keeps partitions from a month back; the history reaches further.
        try await MonthlyPartitions.deviceEvents.ensure(from: history.lowerBound, through: history.upperBound, on: sql)
        try await events(on: sql)
        try await foldState(on: sql)
        // A city's history was vacuumed long ago: measured on tables autovacuum has yet to visit, ingestion shared the
        // machine with its first pass over millions of rows, and sessions trailed by 3 s in one run and 70 s in the next.
        try await sql.raw("VACUUM (ANALYZE)").run()
    }

    /// New segments beside the sample district's, until the city has `bays` bays.
    func grow(on sql: any SQLDatabase) async throws {
        struct Count: Decodable { var n: Int }
        let existing = try await sql.raw("SELECT COUNT(*) AS n FROM bays").first(decoding: Count.self)?.n ?? 0
        let segments = max(0, (bays - existing + 19) / 20)
        guard segments > 0 else { return }
        let now = Date()
        try await sql.raw("""
            INSERT INTO road_segments (id, zone_id, road_name, side, from_street, to_street, path, lifecycle, revision, created_at, updated_at)
            SELECT (10000 + g)::text, 'SP' || (1 + g % 3), s.road_name, s.side, s.from_street, s.to_street, s.path, 'active', 1, \(bind: now), \(bind: now)
            FROM generate_series(0, \(bind: segments - 1)) g CROSS JOIN (SELECT * FROM road_segments WHERE id = '1001') s
            """).run()
        let template = try await sql.raw("SELECT longitude, latitude FROM bays WHERE segment_id = '1001' ORDER BY chainage LIMIT 1")
            .first(decoding: Position.self) ?? Position(longitude: 112.958, latitude: 22.765)
        var rows: [SQLQueryString] = []
        for segment in 0..<segments {
            for index in 0..<20 where existing + segment * 20 + index < bays {
                let code = try BayCode(body: "\(10000 + segment)" + String(format: "%03d", index + 1)).rawValue
                rows.append("""
                    (\(bind: code), \(bind: String(10000 + segment)), \(bind: "SP\(1 + segment % 3)"), \(bind: template.longitude + Double(index) * 0.00006),
                     \(bind: template.latitude), \(bind: Double(index) * 6.5), 'normal', \(bind: "GM-\(code)"), \(bind: "HV-\(10000 + segment)-\(index / 4)"),
                     'active', 1, \(bind: now), \(bind: now))
                    """)
            }
        }
        try await insert(rows, into: "bays (code, segment_id, zone_id, longitude, latitude, chainage, kind, sensor_id, camera_id, lifecycle, revision, created_at, updated_at)", on: sql)
    }

    struct Position: Decodable {
        var longitude: Double
        var latitude: Double
    }

    /// Ten events a stay: the detector's arrival, the camera's read, six heartbeats, the camera's departure read and the detector's departure.
    func events(on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO device_events (device_id, event_id, gateway_id, bay_code, zone_id, kind, device_time_ms, received_ms, occupied, battery, rssi,
                                       temperature_deci, plate, plate_colour, plate_confidence, images)
            SELECT CASE WHEN i IN (1, 8) THEN b.camera_id ELSE b.sensor_id END, s.id || '-' || i, 'gw-bench', s.bay_code, s.zone_id,
                   CASE WHEN i IN (0, 9) THEN 1 WHEN i = 1 THEN 3 WHEN i = 8 THEN 4 ELSE 2 END, t.at, t.at + 2000,
                   CASE WHEN i = 9 THEN false WHEN i IN (1, 8) THEN NULL ELSE true END,
                   CASE WHEN i BETWEEN 2 AND 7 THEN 90 END, CASE WHEN i BETWEEN 2 AND 7 THEN -71 END, CASE WHEN i BETWEEN 2 AND 7 THEN 215 END,
                   CASE WHEN i IN (1, 8) THEN s.plate END, CASE WHEN i IN (1, 8) AND s.plate IS NOT NULL THEN 'blue' END,
                   CASE WHEN i IN (1, 8) AND s.plate IS NOT NULL THEN 930 END,
                   CASE WHEN i IN (1, 8) THEN '[{"sha256":"' || md5(s.id || i) || md5(s.id) || '","capturedMs":' || t.at || ',"deviceID":"' || b.camera_id
                        || '","longitude":' || b.longitude || ',"latitude":' || b.latitude || '}]' END
            FROM parking_sessions s JOIN bays b ON b.code = s.bay_code CROSS JOIN generate_series(0, 9) i
            CROSS JOIN LATERAL (SELECT CASE WHEN i <= 1 THEN s.start_ms WHEN i >= 8 THEN s.end_ms ELSE s.start_ms + (s.end_ms - s.start_ms) * (i - 1) / 7 END AS at) t
            WHERE b.sensor_id IS NOT NULL AND (i NOT IN (1, 8) OR b.camera_id IS NOT NULL)
            """).run()
    }

    /// Each bay's fold state as a server that folded the history leaves it: a
    /// spaced checkpoint at each point the standard tiers keep, and the tail at
    /// the history's end with the bay empty. A point's state is the fold of the
    /// bay's events since the last stay began before it; a bay without
    /// checkpoints would refold its whole history for its first late event.
    func foldState(on sql: any SQLDatabase) async throws {
        struct Bay: Decodable { var code: String; var sensor_id: String? }
        struct Last: Decodable { var id: Int64? }
        let bays = try await sql.raw("SELECT code, sensor_id FROM bays").all(decoding: Bay.self).compactMap { bay in
            (try? BayCode(parsing: bay.code)).map { (code: $0, sensor: bay.sensor_id ?? "bench") }
        }
        let last = try await sql.raw("SELECT MAX(id) AS id FROM device_events").first(decoding: Last.self)?.id ?? 0
        let end = history.upperBound
        let points = CheckpointTiers.standard.points(after: history.lowerBound, through: end, newest: end)
        let fold = SessionFold()
        for point in points {
            let events = Dictionary(grouping: try await EventColumns.all(sql.raw("""
                WITH w AS (SELECT bay_code, MAX(start_ms) AS from_ms FROM parking_sessions
                           WHERE start_ms < \(bind: point) AND start_ms >= \(bind: point - Milliseconds.day) GROUP BY bay_code)
                SELECT \(unsafeRaw: EventColumns.list) FROM device_events e JOIN w ON e.bay_code = w.bay_code
                WHERE e.device_time_ms >= w.from_ms AND e.device_time_ms < \(bind: point)
                """)).compactMap(\.eventRow?.deviceEvent), by: \.bay)
            var rows: [SQLQueryString] = []
            for bay in bays {
                let own = events[bay.code] ?? [Self.empty(bay.code, sensor: bay.sensor, at: point)]
                guard let state = fold.fold(own, bay: bay.code, checkpointsAt: [point]).checkpoints.first else { continue }
                rows.append("(\(bind: bay.code.rawValue), \(bind: point), \(bind: FoldState.text(state)))")
            }
            try await insert(rows, into: "fold_checkpoints (bay_code, at_ms, state)", on: sql)
        }
        let tails = bays.compactMap { bay -> SQLQueryString? in
            guard let tail = fold.fold([Self.empty(bay.code, sensor: bay.sensor, at: end)], bay: bay.code, checkpointsAt: [end]).checkpoints.first else { return nil }
            return "(\(bind: bay.code.rawValue), \(bind: end), \(bind: points.last), \(bind: FoldState.text(tail)), \(bind: last))"
        }
        try await insert(tails, into: "fold_tails (bay_code, at_ms, spaced_ms, state, last_event)", on: sql)
    }

    /// The detector's report a minute before `at` that the bay is empty.
    static func empty(_ bay: BayCode, sensor: String, at: Int64) -> DeviceEvent {
        DeviceEvent(deviceID: sensor, eventID: "empty-\(at)", bay: bay, deviceTime: at - Milliseconds.minute, receivedTime: at, payload: .sensorChange(occupied: false))
    }

    func insert(_ rows: [SQLQueryString], into table: String, on sql: any SQLDatabase) async throws {
        for start in stride(from: 0, to: rows.count, by: 1_000) {
            try await sql.raw("INSERT INTO \(unsafeRaw: table) VALUES \(rows[start..<min(start + 1_000, rows.count)].joined(separator: ", "))").run()
        }
    }
}
