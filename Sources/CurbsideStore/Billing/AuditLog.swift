import CurbsideCore
import FluentKit
import SQLKit

/// The append-only record of what staff did to money and records: who, in
/// which role, did what to which record, when. Nothing updates or deletes it.
public struct AuditLog: Sendable {
    public struct Record: Sendable, Codable, Equatable {
        public var id: Int
        public var at: Int64
        public var actor: String
        public var role: String
        public var action: String
        public var subject: String
        public var detail: [String: String]
    }

    public let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Records an action inside the transaction that makes it.
    static func record(_ action: String, subject: String, by principal: Principal, detail: [String: String], at now: Int64, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO audit_log (at_ms, actor, role, action, subject, detail)
            VALUES (\(bind: now), \(bind: principal.subject), \(bind: principal.role.rawValue), \(bind: action), \(bind: subject), \(bind: try JSONText.encode(detail)))
            """).run()
    }

    /// Records about one subject (a bill number, a payment id), oldest first, or all after `after`.
    public func records(subject: String? = nil, after: Int = 0, limit: Int = 200) async throws -> [Record] {
        struct Row: Decodable { var id: Int; var at_ms: Int64; var actor: String; var role: String; var action: String; var subject: String; var detail: String }
        let sql = database.sql
        let filter: SQLQueryString = subject.map { "AND subject = \(bind: $0)" } ?? ""
        return try await sql.raw("""
            SELECT id, at_ms, actor, role, action, subject, detail FROM audit_log WHERE id > \(bind: after) \(filter) ORDER BY id LIMIT \(bind: limit)
            """).all(decoding: Row.self).map {
            Record(id: $0.id, at: $0.at_ms, actor: $0.actor, role: $0.role, action: $0.action, subject: $0.subject,
                   detail: (try? JSONText.decode([String: String].self, $0.detail)) ?? [:])
        }
    }
}

extension AuditLog {
    /// A staff member's look-up of a plate, written before the answer goes
    /// out: who (the principal), when, why (the reason they gave) and how
    /// (the operation, and what else it concerned, such as the beat).
    public static func plateLookup(
        _ plate: String, colour: PlateColour, by principal: Principal, reason: String, operation: String, detail: [String: String] = [:],
        store: Store, database: any Database, at now: Int64
    ) async throws {
        let detail = detail.merging(["colour": colour.rawValue, "reason": reason, "operation": operation]) { $1 }
        try await store.write(on: database) { db in
            try await record("plate_lookup", subject: plate, by: principal, detail: detail, at: now, on: db.sql)
        }
    }
}
