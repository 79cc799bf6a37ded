import CurbsideCore
import FluentKit
import SQLKit

/// Whether the subject a token speaks for is still what it says: a staff
/// account that is open and holds the token's role, a registered gateway, a
/// citizen's account. Asked on every request, so that closing an account or
/// changing a role takes effect at once, not when the token runs out.
public struct Principals: Sendable {
    public enum Standing: Sendable, Equatable {
        case current
        /// No such account, gateway or citizen.
        case unknown
        /// The staff account is closed.
        case closed
        /// The account now holds another role; the token's is out of date.
        case roleChanged(Role)
    }

    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    public func standing(of principal: Principal) async throws -> Standing {
        let sql = database.sql
        switch principal.role {
        case .admin, .operator, .patrol, .finance, .auditor:
            struct Row: Decodable { var role: String; var active: Bool }
            guard let row = try await sql.raw("SELECT role, active FROM staff WHERE id = \(bind: principal.subject)").first(decoding: Row.self) else {
                return .unknown
            }
            guard row.active else { return .closed }
            guard row.role == principal.role.rawValue else { return .roleChanged(Role(rawValue: row.role) ?? principal.role) }
            return .current
        case .gateway:
            return try await exists("gateways", principal.subject, on: sql) ? .current : .unknown
        case .citizen:
            return try await exists("citizens", principal.subject, on: sql) ? .current : .unknown
        }
    }

    private func exists(_ table: String, _ id: String, on sql: any SQLDatabase) async throws -> Bool {
        struct Row: Decodable { var id: String }
        return try await sql.raw("SELECT id FROM \(unsafeRaw: table) WHERE id = \(bind: id)").first(decoding: Row.self) != nil
    }

    /// Gives a principal its record where it has none, for tokens made on the
    /// server's own machine (`curbside token`, the demo, benchmarks, tests):
    /// a staff account that cannot sign in with a password, a gateway, or a
    /// citizen's account on `phone`. An existing staff account must hold the role.
    public func provision(_ principal: Principal, phone: String? = nil, now: Int64) async throws {
        switch try await standing(of: principal) {
        case .current:
            return
        case .closed:
            throw PatrolError.invalid("Staff account \(principal.subject) is closed.")
        case let .roleChanged(role):
            throw PatrolError.invalid("Staff account \(principal.subject) holds the \(role.rawValue) role, not \(principal.role.rawValue).")
        case .unknown:
            break
        }
        switch principal.role {
        case .admin, .operator, .patrol, .finance, .auditor:
            // "!" is no bcrypt hash: no password signs this account in.
            try await StaffAccounts(store: store, database: database)
                .create(id: principal.subject, name: principal.subject, role: principal.role, passwordHash: "!", by: .system, now: now)
        case .gateway:
            _ = try await Gateways(store: store, database: database).create(id: principal.subject, name: principal.subject, at: now)
        case .citizen:
            guard let phone else { throw PatrolError.invalid("A citizen's account needs the phone it signs in with.") }
            try await store.write(on: database) { db in
                try await db.sql.raw("""
                    INSERT INTO citizens (id, phone, created_ms) VALUES (\(bind: principal.subject), \(bind: phone), \(bind: now))
                    """).run()
            }
        }
    }
}
