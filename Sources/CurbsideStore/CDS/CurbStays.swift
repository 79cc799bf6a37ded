import CurbsideCore
import FluentKit
import SQLKit

/// Stays and device outages in a time window, for the CDS Metrics API.
public struct CurbStays: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public struct Stay: Sendable, Equatable, Decodable {
        public var id: String
        public var bayCode: String
        public var start: Int64
        public var end: Int64?

        enum CodingKeys: String, CodingKey {
            case id, bayCode = "bay_code", start = "start_ms", end = "end_ms"
        }
    }

    /// Bay lists longer than this are filtered after reading rather than bound into the query.
    static let boundBays = 500

    /// How many stays were under way at some time in `range`.
    public func count(overlapping range: Range<Int64>, bays: [String]?) async throws -> Int {
        struct Row: Decodable { var n: Int }
        let sql = database as! any SQLDatabase
        if let bays, bays.count > Self.boundBays {
            return try await stays(overlapping: range, bays: bays).count
        }
        return try await sql.raw("SELECT COUNT(*) AS n FROM parking_sessions WHERE \(Self.overlapping(range, bays: bays))").first(decoding: Row.self)?.n ?? 0
    }

    /// Stays under way at some time in `range` (started before its end, not ended before its start), not voided, by start.
    public func stays(overlapping range: Range<Int64>, bays: [String]?) async throws -> [Stay] {
        let sql = database as! any SQLDatabase
        let bound = bays.flatMap { $0.count > Self.boundBays ? nil : $0 }
        let rows = try await sql.raw("""
            SELECT id, bay_code, start_ms, end_ms FROM parking_sessions WHERE \(Self.overlapping(range, bays: bound)) ORDER BY start_ms, id
            """).all(decoding: Stay.self)
        guard let bays, bound == nil else { return rows }
        let wanted = Set(bays)
        return rows.filter { wanted.contains($0.bayCode) }
    }

    /// Each device's spells out of contact within `range`.
    public func outages(within range: Range<Int64>) async throws -> [String: [Range<Int64>]] {
        struct Row: Decodable { var device_id: String; var kind: String; var at_ms: Int64 }
        let sql = database as! any SQLDatabase
        // Each device's records in the window, and its last one before it (which says how the window starts).
        let rows = try await sql.raw("""
            SELECT e.device_id, e.kind, e.at_ms FROM device_status_events e
            WHERE e.at_ms < \(bind: range.upperBound) AND (e.at_ms >= \(bind: range.lowerBound) OR e.at_ms =
                (SELECT MAX(x.at_ms) FROM device_status_events x WHERE x.device_id = e.device_id AND x.at_ms < \(bind: range.lowerBound)))
            ORDER BY e.device_id, e.at_ms, e.id
            """).all(decoding: Row.self)
        var outages: [String: [Range<Int64>]] = [:]
        for (device, records) in Dictionary(grouping: rows, by: \.device_id) {
            let before = records.last { $0.at_ms < range.lowerBound }
            let within = records.filter { $0.at_ms >= range.lowerBound }.compactMap { record -> DeviceUptime.Change? in
                switch record.kind {
                case "comms_lost": .lost(record.at_ms)
                case "comms_restored": .restored(record.at_ms)
                default: nil
                }
            }
            let spells = DeviceOutages.ranges(lostAtStart: before?.kind == "comms_lost", changes: within, period: range)
            if !spells.isEmpty { outages[device] = spells }
        }
        return outages
    }

    static func overlapping(_ range: Range<Int64>, bays: [String]?) -> SQLQueryString {
        var condition: SQLQueryString = """
            status <> 'void' AND start_ms < \(bind: range.upperBound) AND (end_ms IS NULL OR end_ms > \(bind: range.lowerBound))
            """
        if let bays {
            condition = bays.isEmpty ? "\(condition) AND 1 = 0" : "\(condition) AND bay_code IN (\(binds: bays))"
        }
        return condition
    }
}
