import CurbsideCore
import FluentKit
import SQLKit

/// Staff who sign in with a password: patrol officers, and the back office.
/// The password is stored as the hash the caller made (bcrypt, in the server).
public struct StaffAccounts: Sendable {
    public struct Account: Sendable, Equatable {
        public var id: String
        public var name: String
        public var role: Role
        public var passwordHash: String
        public var active: Bool
        /// Until when password sign-in is refused after too many failures (UTC ms).
        public var lockedUntil: Int64?
    }

    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    public func create(id: String, name: String, role: Role, passwordHash: String, by principal: Principal, now: Int64) async throws {
        try await store.write(on: database) { db in
            let sql = db.sql
            guard try await Self.account(id, on: sql) == nil else { throw PatrolError.exists(.staff, id) }
            try await sql.raw("""
                INSERT INTO staff (id, name, role, password_hash, active, created_ms)
                VALUES (\(bind: id), \(bind: name), \(bind: role.rawValue), \(bind: passwordHash), \(bind: true), \(bind: now))
                """).run()
            try await AuditLog.record("create_staff", subject: id, by: principal, detail: ["name": name, "role": role.rawValue], at: now, on: sql)
        }
    }

    public func account(_ id: String) async throws -> Account? {
        try await Self.account(id, on: database.sql)
    }

    static func account(_ id: String, on sql: any SQLDatabase) async throws -> Account? {
        try await accounts(where: "id = \(bind: id)", on: sql).first
    }

    static func accounts(where filter: SQLQueryString, on sql: any SQLDatabase) async throws -> [Account] {
        struct Row: Decodable { var id: String; var name: String; var role: String; var password_hash: String; var active: Bool; var locked_until_ms: Int64? }
        return try await sql.raw("""
            SELECT id, name, role, password_hash, active, locked_until_ms FROM staff WHERE \(filter) ORDER BY id
            """).all(decoding: Row.self).compactMap { row in
            Role(rawValue: row.role).map {
                Account(id: row.id, name: row.name, role: $0, passwordHash: row.password_hash, active: row.active, lockedUntil: row.locked_until_ms)
            }
        }
    }
}

/// Why a patrol or enforcement operation was refused.
public enum PatrolError: Error, Equatable, Sendable {
    /// The records patrol's refusals name.
    public enum Record: String, Sendable {
        case staff, beat, segment, `case`
    }

    case exists(Record, String)
    case notFound(Record, String)
    /// The officer has no open shift, or already has one.
    case noShift
    case shiftOpen(String)
    /// The bay is not on the officer's beat.
    case offBeat(String)
    /// A street action refers to a photo not uploaded yet.
    case photoMissing(String)
    /// A street action's time lies outside the shift it is sent in.
    case outsideShift(String)
    case invalid(String)
    /// The officer is not assigned to the beat a shift was asked on.
    case beatNotAssigned(String)
    /// Beats are assigned to patrol officers only.
    case notAnOfficer(String)
    /// Staff ids are not reused, and roles are for staff.
    case notStaff(Role)
    /// An administrator closing their own account or giving up the admin role.
    case ownAccount
}
