import Foundation
import PostgresNIO

/// What a benchmark's PostgreSQL database takes on disk: the whole, the
/// largest tables with their indexes and TOAST, bytes per stored event, and
/// the fold state kept per bay.
struct BenchStorage: CustomStringConvertible {
    struct Table {
        var name: String
        var bytes: Int64
        var rows: Int64
    }

    var database: Int64
    var events: Int64
    var bays: Int64
    /// The average saved fold state as stored (base64 text), in a tail and in a spaced checkpoint.
    var tailState: Int64
    var checkpointState: Int64
    var tables: [Table]

    var foldState: Int64 { tables.filter { $0.name.hasPrefix("fold_") }.reduce(0) { $0 + $1.bytes } }

    /// Measured as the run left it (a burst leaves dead row versions autovacuum has not reached yet), or
    /// compacted to its live rows (VACUUM FULL): between the two lies what a database settles at.
    static func measure(_ database: BenchDatabase, compacted: Bool = false) async throws -> BenchStorage {
        try await database.on(database.name) { connection in
            if compacted { _ = try await connection.query("VACUUM (FULL, ANALYZE)", logger: BenchDatabase.logger) }
            _ = try await connection.query("CHECKPOINT", logger: BenchDatabase.logger)
            var storage = BenchStorage(database: 0, events: 0, bays: 0, tailState: 0, checkpointState: 0, tables: [])
            for try await (size, events, bays, tail, checkpoint) in try await connection.query("""
                SELECT pg_database_size(current_database()), (SELECT COUNT(*) FROM device_events), (SELECT COUNT(*) FROM fold_tails),
                    (SELECT COALESCE(AVG(length(state)), 0)::bigint FROM fold_tails), (SELECT COALESCE(AVG(length(state)), 0)::bigint FROM fold_checkpoints)
                """, logger: BenchDatabase.logger).decode((Int64, Int64, Int64, Int64, Int64).self) {
                storage = BenchStorage(database: size, events: events, bays: bays, tailState: tail, checkpointState: checkpoint, tables: [])
            }
            for try await (name, bytes, rows) in try await connection.query("""
                SELECT c.relname::text, pg_total_relation_size(c.oid), COALESCE(s.n_live_tup, 0)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 2 DESC
                """, logger: BenchDatabase.logger).decode((String, Int64, Int64).self) {
                storage.tables.append(Table(name: name, bytes: bytes, rows: rows))
            }
            // The statistics' row counts lag bulk writes: the tables shown are counted.
            for index in storage.tables.indices.prefix(8) {
                for try await count in try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \"\(storage.tables[index].name)\""), logger: BenchDatabase.logger
                ).decode(Int64.self) {
                    storage.tables[index].rows = count
                }
            }
            return storage
        }
    }

    var description: String {
        var lines = [
            "database \(Self.mb(database)): \(events > 0 ? database / events : 0) bytes per stored event; "
                + "fold state \(Self.mb(foldState)), \(bays > 0 ? foldState / bays / 1024 : 0) KB per bay (a state \(tailState) bytes in a tail, \(checkpointState) in a checkpoint)",
        ]
        for table in tables.prefix(8) {
            lines.append("    \(table.name): \(Self.mb(table.bytes)) for \(BenchFormat.rate(Double(table.rows))) rows")
        }
        return lines.joined(separator: "\n")
    }

    static func mb(_ bytes: Int64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
