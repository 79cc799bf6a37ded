import FluentKit
import SQLKit

/// Partial indexes on the rows that still hold personal data, in the order
/// retention walks them: events with a plate not yet pseudonymised or image
/// references, sessions with a plate or image references. Retention's daily
/// run reads these instead of every row since the first day, so its cost
/// follows the day it clears and the rows held back, not the history kept;
/// rows leave the index as they are anonymised. Built on upgrade with the
/// tables locked for writes while it runs (minutes on a large city: see
/// docs/operations.md).
struct M0032_IndexPersonalData: AsyncMigration {
    var name: String { "0032_index_personal_data" }

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await sql.raw("""
            CREATE INDEX device_events_personal_idx ON device_events (device_time_ms, id)
            WHERE (plate IS NOT NULL AND plate NOT LIKE '~%') OR (images IS NOT NULL AND images <> '[]')
            """).run()
        try await sql.raw("""
            CREATE INDEX parking_sessions_plated_idx ON parking_sessions (start_ms, id) WHERE plate IS NOT NULL AND plate NOT LIKE '~%'
            """).run()
        try await sql.raw("CREATE INDEX parking_sessions_evidence_idx ON parking_sessions (start_ms, id) WHERE evidence <> '[]'").run()
    }

    func revert(on database: any Database) async throws {
        for index in ["parking_sessions_evidence_idx", "parking_sessions_plated_idx", "device_events_personal_idx"] {
            try await database.sql.raw("DROP INDEX \(ident: index)").run()
        }
    }
}
