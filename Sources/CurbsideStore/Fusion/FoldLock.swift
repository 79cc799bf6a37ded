import SQLKit

/// The lock a fusion round holds on each bay it folds (PostgreSQL advisory,
/// for the transaction). A registry change that moves a bay's stays between
/// sums waits for it, so a round writing the bay's stays either committed
/// before the move (and the move takes them) or sees the bay as moved.
/// SQLite has one writer at a time and needs none.
enum FoldLock {
    /// Waits for each bay's lock in code order, so two registry changes never hold each other's bays;
    /// fusion only tries its locks, so it never waits on a registry change.
    static func wait(for bays: [String], on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        for chunk in bays.sorted().chunks(of: 1_000) {
            try await sql.raw("""
                SELECT pg_advisory_xact_lock(hashtext('curbside.fold.' || b)) FROM (SELECT b FROM unnest(\(bind: Array(chunk))) AS b ORDER BY b) AS ordered
                """).run()
        }
    }
}
