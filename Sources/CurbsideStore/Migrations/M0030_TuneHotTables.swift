import FluentKit
import SQLKit

/// PostgreSQL storage settings for the tables updated in place on every
/// batch or round: a bay's tail, its occupancy, a device's health, open
/// sessions. Leaving part of each page free lets an update put the new row
/// version on the same page (a heap-only update, no index entry), where the
/// next access prunes the old one, so these tables stay near their live size
/// between vacuums; and autovacuum visits them after a few hundred dead rows
/// rather than a fifth of the table. The queue tables, inserted and deleted
/// in bulk, are vacuumed as often. SQLite reuses freed pages by itself.
struct M0030_TuneHotTables: AsyncMigration {
    var name: String { "0030_tune_hot_tables" }

    /// Table, fill factor (per cent of a page filled by inserts).
    static let tables: [(table: String, fillfactor: Int)] = [
        ("fold_tails", 50), ("bay_occupancy", 50), ("devices", 50), ("parking_sessions", 85), ("ingest_queue", 100), ("feed_outbox", 100),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        guard sql.dialect.name == "postgresql" else { return }
        for (table, fillfactor) in Self.tables {
            try await sql.raw("""
                ALTER TABLE \(ident: table) SET (fillfactor = \(unsafeRaw: String(fillfactor)), autovacuum_vacuum_scale_factor = 0.0,
                    autovacuum_vacuum_threshold = 500, autovacuum_analyze_scale_factor = 0.05)
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        guard sql.dialect.name == "postgresql" else { return }
        for (table, _) in Self.tables {
            try await sql.raw("""
                ALTER TABLE \(ident: table) RESET (fillfactor, autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, autovacuum_analyze_scale_factor)
                """).run()
        }
    }
}
