import CurbsideCore
import FluentKit
import SQLKit

/// Monthly passes, resident permits, the exemption whitelist and disabled
/// drivers' permits, as the back office enters them.
public struct Permits: Sendable {
    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    public func add(_ permit: Permit, note: String, by principal: Principal, now: Int64) async throws {
        guard permit.from < permit.until else { throw BillingError.permitInvalid("A permit must end after it starts.") }
        guard (try? Plate(parsing: permit.plate))?.text == permit.plate else {
            throw BillingError.permitInvalid("'\(permit.plate)' is not a plate as Curbside writes it.")
        }
        try await store.write(on: database) { db in
            let sql = db.sql
            struct Row: Decodable { var id: String }
            guard try await sql.raw("SELECT id FROM permits WHERE id = \(bind: permit.id)").first(decoding: Row.self) == nil else {
                throw BillingError.duplicateID(permit.id)
            }
            try await sql.raw("""
                INSERT INTO permits (id, kind, plate, zone_id, from_ms, until_ms, note, created_ms, created_by)
                VALUES (\(bind: permit.id), \(bind: permit.kind.rawValue), \(bind: permit.plate), \(bind: permit.zoneID), \(bind: permit.from),
                        \(bind: permit.until), \(bind: note), \(bind: now), \(bind: principal.description))
                """).run()
            try await AuditLog.record("add_permit", subject: permit.id, by: principal, detail: [
                "kind": permit.kind.rawValue, "plate": permit.plate, "zone": permit.zoneID ?? "*", "note": note,
            ], at: now, on: sql)
        }
    }

    /// A plate's permits, or every permit, by id.
    public func list(plate: String? = nil) async throws -> [Permit] {
        try await Self.select(plate: plate, on: database.sql)
    }

    static func select(plate: String?, on sql: any SQLDatabase) async throws -> [Permit] {
        struct Row: Decodable { var id: String; var kind: String; var plate: String; var zone_id: String?; var from_ms: Int64; var until_ms: Int64 }
        let filter: SQLQueryString = plate.map { "WHERE plate = \(bind: $0)" } ?? ""
        return try await sql.raw("SELECT id, kind, plate, zone_id, from_ms, until_ms FROM permits \(filter) ORDER BY id").all(decoding: Row.self).compactMap { row in
            Permit.Kind(rawValue: row.kind).map { Permit(id: row.id, kind: $0, plate: row.plate, zoneID: row.zone_id, from: row.from_ms, until: row.until_ms) }
        }
    }
}
