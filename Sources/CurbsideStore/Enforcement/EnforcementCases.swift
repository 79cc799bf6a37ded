import CurbsideCore
import FluentKit
import SQLKit

/// Enforcement cases: a plate's bills referred to the traffic police, with
/// their evidence, one open case per plate at a time.
public struct EnforcementCases: Sendable {
    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    /// Adds a referred bill to its plate's open case, opening one if there is none.
    static func refer(_ bill: String, plate: String, colour: String, at now: Int64, on sql: any SQLDatabase) async throws {
        struct Row: Decodable { var id: String }
        let open = try await sql.raw("""
            SELECT id FROM enforcement_cases WHERE plate = \(bind: plate) AND plate_colour = \(bind: colour) AND status = 'open' ORDER BY opened_ms LIMIT 1
            """).first(decoding: Row.self)?.id
        let id = open ?? RandomID.make("EC", length: 12)
        if open == nil {
            try await sql.raw("""
                INSERT INTO enforcement_cases (id, plate, plate_colour, status, opened_ms) VALUES (\(bind: id), \(bind: plate), \(bind: colour), 'open', \(bind: now))
                """).run()
        }
        try await sql.raw("INSERT INTO case_bills (case_id, bill_number, added_ms) VALUES (\(bind: id), \(bind: bill), \(bind: now))").run()
    }
}
