import CurbsideCore
import FluentKit
import SQLKit

/// Staff accounts as the administrator keeps them: listed, renamed, moved to
/// another role, closed and reopened, unlocked, and officers assigned to
/// beats. Every change is audited, and takes effect on the account's very
/// next request: tokens are checked against these rows each time.
extension StaffAccounts {
    /// An account as listed: without its password hash, with its beats.
    public struct Record: Sendable, Equatable {
        public var id: String
        public var name: String
        public var role: Role
        public var active: Bool
        public var lockedUntil: Int64?
        public var beats: [String]
    }

    public func records(id: String? = nil) async throws -> [Record] {
        let sql = database.sql
        let accounts = try await Self.accounts(where: id.map { "id = \(bind: $0)" } ?? "1 = 1", on: sql)
        struct Assignment: Decodable { var staff_id: String; var beat_id: String }
        let filter: SQLQueryString = id.map { "WHERE staff_id = \(bind: $0)" } ?? ""
        let assignments = try await sql.raw("SELECT staff_id, beat_id FROM staff_beats \(filter) ORDER BY beat_id").all(decoding: Assignment.self)
        let beats = Dictionary(grouping: assignments, by: \.staff_id).mapValues { $0.map(\.beat_id) }
        return accounts.map { Record(id: $0.id, name: $0.name, role: $0.role, active: $0.active, lockedUntil: $0.lockedUntil, beats: beats[$0.id] ?? []) }
    }

    /// Sets an account's name, role and whether it may act; an officer moved to another role loses their beats.
    public func update(id: String, name: String, role: Role, active: Bool, by principal: Principal, now: Int64) async throws -> Record {
        guard role.isStaff else { throw PatrolError.notStaff(role) }
        // Someone must always be left to run the system: an administrator cannot lock themselves out.
        guard id != principal.subject || (role == .admin && active) else { throw PatrolError.ownAccount }
        return try await store.write(on: database) { db in
            let sql = db.sql
            guard let before = try await Self.account(id, on: sql) else { throw PatrolError.notFound(.staff, id) }
            try await sql.raw("""
                UPDATE staff SET name = \(bind: name), role = \(bind: role.rawValue), active = \(bind: active) WHERE id = \(bind: id)
                """).run()
            if role != .patrol { try await sql.raw("DELETE FROM staff_beats WHERE staff_id = \(bind: id)").run() }
            var detail: [String: String] = [:]
            if before.name != name { detail["name"] = "\(before.name) -> \(name)" }
            if before.role != role { detail["role"] = "\(before.role.rawValue) -> \(role.rawValue)" }
            if before.active != active { detail["active"] = "\(before.active) -> \(active)" }
            try await AuditLog.record("update_staff", subject: id, by: principal, detail: detail, at: now, on: sql)
            return try await Self.record(id, on: sql)
        }
    }

    /// The beats an officer may open shifts on, replacing those assigned before.
    public func assign(id: String, beats: [String], by principal: Principal, now: Int64) async throws -> Record {
        try await store.write(on: database) { db in
            let sql = db.sql
            guard let account = try await Self.account(id, on: sql) else { throw PatrolError.notFound(.staff, id) }
            guard account.role == .patrol else { throw PatrolError.notAnOfficer(id) }
            for beat in beats where try await Beats.beat(beat, on: sql) == nil { throw PatrolError.notFound(.beat, beat) }
            try await sql.raw("DELETE FROM staff_beats WHERE staff_id = \(bind: id)").run()
            for beat in Set(beats).sorted() {
                try await sql.raw("INSERT INTO staff_beats (staff_id, beat_id, assigned_ms) VALUES (\(bind: id), \(bind: beat), \(bind: now))").run()
            }
            try await AuditLog.record("assign_beats", subject: id, by: principal, detail: ["beats": Set(beats).sorted().joined(separator: ",")], at: now, on: sql)
            return try await Self.record(id, on: sql)
        }
    }

    /// Lets a locked account sign in again at once.
    public func unlock(id: String, by principal: Principal, now: Int64) async throws -> Record {
        try await store.write(on: database) { db in
            let sql = db.sql
            guard try await Self.account(id, on: sql) != nil else { throw PatrolError.notFound(.staff, id) }
            try await sql.raw("UPDATE staff SET failed_sign_ins = 0, locked_until_ms = NULL WHERE id = \(bind: id)").run()
            try await AuditLog.record("unlock_staff", subject: id, by: principal, detail: [:], at: now, on: sql)
            return try await Self.record(id, on: sql)
        }
    }

    public func isAssigned(_ staff: String, beat: String) async throws -> Bool {
        struct Row: Decodable { var beat_id: String }
        return try await database.sql.raw("""
            SELECT beat_id FROM staff_beats WHERE staff_id = \(bind: staff) AND beat_id = \(bind: beat)
            """).first(decoding: Row.self) != nil
    }

    static func record(_ id: String, on sql: any SQLDatabase) async throws -> Record {
        guard let account = try await account(id, on: sql) else { throw PatrolError.notFound(.staff, id) }
        struct Assignment: Decodable { var beat_id: String }
        let beats = try await sql.raw("SELECT beat_id FROM staff_beats WHERE staff_id = \(bind: id) ORDER BY beat_id").all(decoding: Assignment.self)
        return Record(id: account.id, name: account.name, role: account.role, active: account.active, lockedUntil: account.lockedUntil, beats: beats.map(\.beat_id))
    }
}
