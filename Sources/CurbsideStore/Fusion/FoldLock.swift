import SQLKit

/// The lock a fusion round holds on each bay it folds (PostgreSQL advisory,
/// for the transaction). A registry change that moves a bay's stays between
/// sums waits for it, so a round writing the bay's stays either committed
/// before the move (and the move takes them) or sees the bay as moved.
/// SQLite has one writer at a time and needs none.
enum FoldLock {
    static func wait(for bay: String, on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT pg_advisory_xact_lock(hashtext('curbside.fold.' || \(bind: bay)))").run()
    }
}
