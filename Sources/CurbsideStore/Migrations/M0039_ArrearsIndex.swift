import FluentKit
import SQLKit

/// The arrears ladder's index holds unpaid bills only, in the order a round
/// takes them (never stepped first, then by next step). The (status, next
/// step) index it replaces also held every settled bill, most of them, and
/// PostgreSQL, counting their empty next steps as never stepped, read the
/// whole bills table each round instead.
struct M0039_ArrearsIndex: AsyncMigration {
    var name: String { "0039_arrears_index" }

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        // SQLite puts nulls first in ascending order already, and takes no NULLS FIRST in an index.
        let nullsFirst: SQLQueryString = sql.dialect.name == "postgresql" ? " NULLS FIRST" : ""
        try await sql.raw("CREATE INDEX bills_arrears_idx ON bills (next_step_ms\(nullsFirst), number) WHERE status = 'unpaid'").run()
        try await sql.raw("DROP INDEX bills_next_step_idx").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.raw("CREATE INDEX bills_next_step_idx ON bills (status, next_step_ms)").run()
        try await database.sql.raw("DROP INDEX bills_arrears_idx").run()
    }
}
