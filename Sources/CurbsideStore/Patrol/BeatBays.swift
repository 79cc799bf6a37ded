import CurbsideCore
import FluentKit
import Foundation
import SQLKit

/// One bay of a beat as the handheld lists it.
public struct BeatBay: Sendable, Equatable {
    public var code: String
    public var segmentID: String
    /// Position in walking order, from 0.
    public var order: Int
    public var state: BayState
    public var sessionID: String?
    public var since: Int64?
    public var plate: String?
    public var plateColour: String?
    /// Overdue arrears of the parked car's plate, for repeat offenders.
    public var arrearsFen: Int
}

/// The live state of every bay on a beat, in walking order: two queries
/// whatever the beat's size, because the handheld asks for it all the time.
public struct BeatBays: Sendable {
    public let database: any Database
    /// A stay longer than this is an overstay (ms).
    public let overstayAfter: Int64

    public init(database: any Database, overstayAfter: Int64) {
        self.database = database
        self.overstayAfter = overstayAfter
    }

    struct Row: Decodable {
        var code: String
        var segment_id: String
        var bay_from: Date?
        var bay_until: Date?
        var zone_lifecycle: String
        var zone_from: Date?
        var zone_until: Date?
        var occupied: Bool?
        var session_id: String?
        var start_ms: Int64?
        var plate: String?
        var plate_colour: String?
        var sensor_online: Bool?
    }

    public func list(beat: String, bay: String? = nil, now: Int64) async throws -> [BeatBay] {
        let sql = database as! any SQLDatabase
        let only: SQLQueryString = bay.map { "AND b.code = \(bind: $0)" } ?? ""
        let rows = try await sql.raw("""
            SELECT b.code, b.segment_id, b.suspended_from AS bay_from, b.suspended_until AS bay_until,
                   z.lifecycle AS zone_lifecycle, z.suspended_from AS zone_from, z.suspended_until AS zone_until,
                   o.occupied, p.id AS session_id, p.start_ms, p.plate, p.plate_colour, d.online AS sensor_online
            FROM beat_segments s
            JOIN bays b ON b.segment_id = s.segment_id AND b.lifecycle = 'active'
            JOIN zones z ON z.id = b.zone_id
            LEFT JOIN bay_occupancy o ON o.bay_code = b.code
            LEFT JOIN parking_sessions p ON p.bay_code = b.code AND p.status = 'open'
            LEFT JOIN devices d ON d.device_id = b.sensor_id
            WHERE s.beat_id = \(bind: beat) \(only)
            ORDER BY s.ord, b.chainage, b.code
            """).all(decoding: Row.self)
        let cover = try await coverage(rows.compactMap { row in row.session_id.map { ($0, row.plate) } }, now: now, on: sql)
        let date = Date(timeIntervalSince1970: TimeInterval(now) / 1000)
        func suspended(_ from: Date?, _ until: Date?) -> Bool { from.map { $0 <= date && until.map { date < $0 } ?? true } ?? false }
        return rows.enumerated().map { order, row in
            let covered = row.session_id.map { cover.covered.contains($0) } ?? false
            let state = BayState.of(
                suspended: row.zone_lifecycle != "active" || suspended(row.bay_from, row.bay_until) || suspended(row.zone_from, row.zone_until),
                sensorOnline: row.sensor_online, occupied: row.occupied, openSince: row.start_ms, plateRead: row.plate != nil, covered: covered,
                now: now, overstayAfter: overstayAfter
            )
            return BeatBay(
                code: row.code, segmentID: row.segment_id, order: order, state: state, sessionID: row.session_id, since: row.start_ms,
                plate: row.plate, plateColour: row.plate_colour, arrearsFen: row.plate.flatMap { cover.arrears[$0] } ?? 0
            )
        }
    }

    /// Which open sessions are covered (prepaid, a permit, an exempt plate), and the overdue arrears of their plates.
    func coverage(_ sessions: [(id: String, plate: String?)], now: Int64, on sql: any SQLDatabase) async throws -> (covered: Set<String>, arrears: [String: Int]) {
        guard !sessions.isEmpty else { return ([], [:]) }
        let ids = sessions.map { "\(bind: $0.id)" as SQLQueryString }.joined(separator: ", ")
        let plates = Set(sessions.compactMap(\.plate))
        struct Prepaid: Decodable { var session_id: String }
        var covered = Set(try await sql.raw("""
            SELECT DISTINCT session_id FROM payments WHERE session_id IN (\(ids)) AND purpose = 'prepay' AND status = 'paid'
            """).all(decoding: Prepaid.self).map(\.session_id))
        guard !plates.isEmpty else { return (covered, [:]) }
        let plateList = plates.sorted().map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        struct Held: Decodable { var plate: String; var kind: String }
        // A disabled driver's permit changes the price, not whether the stay is paid for.
        let permitted = Set(try await sql.raw("""
            SELECT plate, kind FROM permits WHERE plate IN (\(plateList)) AND from_ms <= \(bind: now) AND until_ms > \(bind: now)
            """).all(decoding: Held.self).filter { $0.kind != Permit.Kind.disabled.rawValue }.map(\.plate))
        for session in sessions {
            guard let text = session.plate else { continue }
            let exempt = (try? Plate(parsing: text)).map { VehicleClass.of($0, colour: .blue) == .exempt } ?? false
            if exempt || permitted.contains(text) { covered.insert(session.id) }
        }
        struct Owed: Decodable { var plate: String; var total: Int }
        let arrears = try await sql.raw("""
            SELECT plate, CAST(SUM(outstanding_fen) AS BIGINT) AS total FROM bills
            WHERE plate IN (\(plateList)) AND status = 'unpaid' AND arrears_stage IN ('overdue', 'referred') GROUP BY plate
            """).all(decoding: Owed.self)
        return (covered, Dictionary(uniqueKeysWithValues: arrears.map { ($0.plate, $0.total) }))
    }
}
