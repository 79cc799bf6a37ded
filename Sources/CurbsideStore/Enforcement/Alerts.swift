import CurbsideCore
import FluentKit
import SQLKit

/// A plate with overdue arrears parked again: the officers whose beat holds the bay are told.
public struct Alert: Sendable, Equatable, Codable {
    public var id: Int
    public var sessionID: String
    /// The beat holding the bay; empty when no beat does (supervisors see it).
    public var beatID: String
    public var bay: String
    public var plate: String
    public var plateColour: String
    public var arrearsFen: Int
    public var createdAt: Int64
    public var acknowledgedBy: String?
    public var acknowledgedAt: Int64?
}

/// Finds repeat offenders among the cars parked now and raises one alert per
/// stay and beat; the unique key makes rounds on several servers agree.
public struct Alerts: Sendable {
    public let store: Store
    public let database: any Database
    /// Overdue arrears at or above this raise an alert (fen).
    public let threshold: Int

    public init(store: Store, database: any Database, threshold: Int) {
        self.store = store
        self.database = database
        self.threshold = threshold
    }

    /// Sessions that started within this window are looked at: a car parked for hours was seen before.
    static let window: Int64 = 6 * Milliseconds.hour

    /// Raises the alerts due; returns how many.
    @discardableResult
    public func runOnce(now: Int64) async throws -> Int {
        try await store.write(on: database) { db in
            let sql = db.sql
            struct Row: Decodable { var id: String; var bay_code: String; var plate: String; var plate_colour: String; var segment_id: String; var arrears: Int? }
            let parked = try await sql.raw("""
                SELECT p.id, p.bay_code, p.plate, p.plate_colour, b.segment_id,
                       (SELECT CAST(SUM(l.outstanding_fen) AS BIGINT) FROM bills l WHERE l.plate = p.plate AND l.plate_colour = p.plate_colour
                          AND l.status = 'unpaid' AND l.arrears_stage IN ('overdue', 'referred')) AS arrears
                FROM parking_sessions p JOIN bays b ON b.code = p.bay_code
                WHERE p.status = 'open' AND p.plate IS NOT NULL AND p.start_ms >= \(bind: now - Self.window)
                  AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.session_id = p.id)
                """).all(decoding: Row.self)
            var raised = 0
            for row in parked where (row.arrears ?? 0) >= threshold {
                struct Beat: Decodable { var beat_id: String }
                let beats = try await sql.raw("SELECT beat_id FROM beat_segments WHERE segment_id = \(bind: row.segment_id) ORDER BY beat_id").all(decoding: Beat.self)
                for beat in beats.isEmpty ? [""] : beats.map(\.beat_id) {
                    try await sql.raw("""
                        INSERT INTO alerts (session_id, beat_id, bay_code, plate, plate_colour, arrears_fen, created_ms)
                        VALUES (\(bind: row.id), \(bind: beat), \(bind: row.bay_code), \(bind: row.plate), \(bind: row.plate_colour), \(bind: Int64(row.arrears ?? 0)), \(bind: now))
                        ON CONFLICT (session_id, beat_id) DO NOTHING
                        """).run()
                    raised += 1
                }
            }
            return raised
        }
    }

    /// Alerts after `after`, for one beat or all, oldest first.
    public func alerts(beat: String? = nil, after: Int = 0, limit: Int = 200) async throws -> [Alert] {
        struct Row: Decodable {
            var id: Int; var session_id: String; var beat_id: String; var bay_code: String; var plate: String; var plate_colour: String; var arrears_fen: Int
            var created_ms: Int64; var acknowledged_by: String?; var acknowledged_ms: Int64?
        }
        let filter: SQLQueryString = beat.map { "AND beat_id = \(bind: $0)" } ?? ""
        return try await database.sql.raw("""
            SELECT id, session_id, beat_id, bay_code, plate, plate_colour, arrears_fen, created_ms, acknowledged_by, acknowledged_ms FROM alerts
            WHERE id > \(bind: after) \(filter) ORDER BY id LIMIT \(bind: limit)
            """).all(decoding: Row.self).map {
            Alert(id: $0.id, sessionID: $0.session_id, beatID: $0.beat_id, bay: $0.bay_code, plate: $0.plate, plateColour: $0.plate_colour,
                  arrearsFen: $0.arrears_fen, createdAt: $0.created_ms, acknowledgedBy: $0.acknowledged_by, acknowledgedAt: $0.acknowledged_ms)
        }
    }

    /// Marks an alert of `beat` seen by the officer; false if there is no such alert on the beat.
    public func acknowledge(_ id: Int, beat: String, by principal: Principal, now: Int64) async throws -> Bool {
        try await store.write(on: database) { db in
            let sql = db.sql
            struct Row: Decodable { var id: Int }
            guard try await sql.raw("SELECT id FROM alerts WHERE id = \(bind: Int64(id)) AND beat_id = \(bind: beat)").first(decoding: Row.self) != nil else { return false }
            try await sql.raw("""
                UPDATE alerts SET acknowledged_by = \(bind: principal.description), acknowledged_ms = \(bind: now) WHERE id = \(bind: Int64(id)) AND acknowledged_ms IS NULL
                """).run()
            try await AuditLog.record("acknowledge_alert", subject: String(id), by: principal, detail: [:], at: now, on: sql)
            return true
        }
    }
}
