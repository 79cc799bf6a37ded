import CurbsideCore
import FluentKit
import Foundation
import SQLKit

/// Which sessions a listing returns.
public struct SessionFilter: Sendable {
    public var bay: BayCode?
    public var zoneID: String?
    public var status: SessionRow.Status?
    /// Sessions starting at or after / before these instants (ms).
    public var from: Int64?
    public var until: Int64?
    /// Only sessions patrol must look at: through an outage, or open with no report for the outage time.
    public var needsPatrol: Bool

    public init(bay: BayCode? = nil, zoneID: String? = nil, status: SessionRow.Status? = nil, from: Int64? = nil, until: Int64? = nil, needsPatrol: Bool = false) {
        self.bay = bay
        self.zoneID = zoneID
        self.status = status
        self.from = from
        self.until = until
        self.needsPatrol = needsPatrol
    }
}

/// A billed session's correction or void record (seed 003 第5条: 数据纠正、数据作废).
public struct SessionCorrection: Sendable {
    public var id: Int
    public var sessionID: String
    /// correction or void.
    public var kind: String
    public var before: SessionRow?
    public var after: SessionRow?
    public var reason: String
    public var at: Int64
}

/// Reads parking sessions and their corrections.
public struct SessionQueries: Sendable {
    public let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Sessions in start order, a page at a time: pass the last session's id as `after`.
    public func list(_ filter: SessionFilter, outage: Int64, now: Int64, after: String? = nil, limit: Int) async throws -> [StoredSession] {
        let sql = database.sql
        var conditions: [SQLQueryString] = []
        if let bay = filter.bay { conditions.append("bay_code = \(bind: bay.rawValue)") }
        if let zone = filter.zoneID { conditions.append("zone_id = \(bind: zone)") }
        if let status = filter.status { conditions.append("status = \(bind: status.rawValue)") }
        if let from = filter.from { conditions.append("start_ms >= \(bind: from)") }
        if let until = filter.until { conditions.append("start_ms < \(bind: until)") }
        if filter.needsPatrol {
            let outageFlag = ParkingSession.Flags.outage.rawValue
            conditions.append("status <> 'void' AND ((flags / \(bind: outageFlag)) % 2 = 1 OR (status = 'open' AND last_evidence_ms < \(bind: now - outage)))")
        }
        if let after, let split = after.lastIndex(of: "-"), let start = Int64(after[after.index(after: split)...]) {
            conditions.append("(start_ms > \(bind: start) OR (start_ms = \(bind: start) AND id > \(bind: after)))")
        }
        let whereClause: SQLQueryString = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try await sql.raw("SELECT \(unsafeRaw: SessionColumns.list) FROM parking_sessions\(whereClause) ORDER BY start_ms, id LIMIT \(bind: limit)")
            .all(decoding: SessionColumns.self).map(\.stored)
    }

    public func session(_ id: String) async throws -> StoredSession? {
        let sql = database.sql
        return try await sql.raw("SELECT \(unsafeRaw: SessionColumns.list) FROM parking_sessions WHERE id = \(bind: id)")
            .first(decoding: SessionColumns.self)?.stored
    }

    /// The open sessions of a plate: where the car is parked now.
    public func open(plate: String, colour: String) async throws -> [StoredSession] {
        let sql = database.sql
        return try await sql.raw("""
            SELECT \(unsafeRaw: SessionColumns.list) FROM parking_sessions
            WHERE status = 'open' AND plate = \(bind: plate) AND plate_colour = \(bind: colour) ORDER BY start_ms
            """).all(decoding: SessionColumns.self).map(\.stored)
    }

    /// Correction and void records in the order they were made, after a cursor.
    public func corrections(sessionID: String? = nil, after: Int? = nil, limit: Int = 1000) async throws -> [SessionCorrection] {
        let sql = database.sql
        struct Row: Decodable {
            var id: Int
            var session_id: String
            var kind: String
            var before: String
            var after: String?
            var reason: String
            var at_ms: Int64
        }
        var conditions: [SQLQueryString] = []
        if let sessionID { conditions.append("session_id = \(bind: sessionID)") }
        if let after { conditions.append("id > \(bind: after)") }
        let whereClause: SQLQueryString = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let decoder = JSONDecoder()
        return try await sql.raw("SELECT id, session_id, kind, before, after, reason, at_ms FROM session_corrections\(whereClause) ORDER BY id LIMIT \(bind: limit)")
            .all(decoding: Row.self).map { row in
                SessionCorrection(
                    id: row.id, sessionID: row.session_id, kind: row.kind,
                    before: try? decoder.decode(SessionRow.self, from: Data(row.before.utf8)),
                    after: row.after.flatMap { try? decoder.decode(SessionRow.self, from: Data($0.utf8)) },
                    reason: row.reason, at: row.at_ms
                )
            }
    }

    /// Stored batches whose work (refolds, device health) is still to be done.
    public func queuedBatches() async throws -> Int {
        struct Row: Decodable { var count: Int }
        return try await database.sql.raw("SELECT COUNT(*) AS count FROM ingest_queue").first(decoding: Row.self)?.count ?? 0
    }
}
