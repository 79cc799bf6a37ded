import CurbsideCore
import FluentKit
import SQLKit

/// A plate, or one session, kept whole past its retention because a court,
/// the police or an investigation needs it; released by hand.
public struct LegalHold: Sendable, Equatable {
    public var id: String
    public var plate: String?
    public var colour: String?
    public var session: String?
    public var reason: String
    public var heldBy: String
    public var createdAt: Int64
    public var releasedAt: Int64?
    public var releasedBy: String?
}

/// The legal holds, each placed and released in the audit log.
public struct LegalHolds: Sendable {
    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    /// Holds a plate (`plate`, `colour`) or a session (`session`), with the reason.
    public func hold(plate: String?, colour: PlateColour?, session: String?, reason: String, by principal: Principal, now: Int64) async throws -> LegalHold {
        let hold = LegalHold(
            id: RandomID.make("LH", length: 14), plate: plate, colour: plate == nil ? nil : colour?.rawValue, session: session, reason: reason,
            heldBy: principal.description, createdAt: now
        )
        try await store.write(on: database) { db in
            let sql = db.sql
            try await sql.raw("""
                INSERT INTO legal_holds (id, plate, plate_colour, session_id, reason, held_by, created_ms)
                VALUES (\(bind: hold.id), \(bind: hold.plate), \(bind: hold.colour), \(bind: hold.session), \(bind: reason), \(bind: hold.heldBy), \(bind: now))
                """).run()
            try await AuditLog.record("legal_hold", subject: hold.id, by: principal, detail: [
                "plate": plate ?? "", "colour": hold.colour ?? "", "session": session ?? "", "reason": reason,
            ], at: now, on: sql)
        }
        return hold
    }

    /// Releases a hold still in force; false when there is none.
    public func release(_ id: String, by principal: Principal, now: Int64) async throws -> Bool {
        try await store.write(on: database) { db in
            let sql = db.sql
            struct Row: Decodable { var id: String }
            guard try await sql.raw("""
                UPDATE legal_holds SET released_ms = \(bind: now), released_by = \(bind: principal.description) WHERE id = \(bind: id) AND released_ms IS NULL
                RETURNING id
                """).first(decoding: Row.self) != nil else { return false }
            try await AuditLog.record("legal_hold_release", subject: id, by: principal, detail: [:], at: now, on: sql)
            return true
        }
    }

    /// The holds in force, newest first.
    public func holds() async throws -> [LegalHold] {
        struct Row: Decodable {
            var id: String; var plate: String?; var plate_colour: String?; var session_id: String?; var reason: String; var held_by: String
            var created_ms: Int64; var released_ms: Int64?; var released_by: String?
        }
        return try await database.sql.raw("""
            SELECT id, plate, plate_colour, session_id, reason, held_by, created_ms, released_ms, released_by FROM legal_holds
            WHERE released_ms IS NULL ORDER BY created_ms DESC, id
            """).all(decoding: Row.self).map {
            LegalHold(
                id: $0.id, plate: $0.plate, colour: $0.plate_colour, session: $0.session_id, reason: $0.reason, heldBy: $0.held_by, createdAt: $0.created_ms,
                releasedAt: $0.released_ms, releasedBy: $0.released_by
            )
        }
    }
}
