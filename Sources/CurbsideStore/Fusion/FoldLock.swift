import SQLKit

/// How fusion rounds and registry changes keep out of each other's way on
/// PostgreSQL (advisory locks, for the transaction; SQLite has one writer at a
/// time and needs none).
///
/// A round holds the fold lock shared, and each bay it folds by a lock of the
/// bay's own, so several servers fold at once but a bay on one at a time. A
/// registry change that moves bays' stays between sums takes the fold lock
/// exclusively: it waits for running rounds to commit, and rounds that start
/// meanwhile put their work back, so a round either committed before the move
/// (and the move takes its stays) or sees the bays as moved. One lock for a
/// change of any size: a lock per bay would overflow PostgreSQL's lock table
/// (`max_locks_per_transaction` x `max_connections`, 6,400 by default) at
/// about 10,000 bays, a zone's retirement or a city's import.
enum FoldLock {
    static let key: SQLQueryString = "hashtext('curbside.fold')"

    /// For a registry change: waits for running rounds and holds new ones off until the change commits.
    static func exclude(on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT pg_advisory_xact_lock(\(key))").run()
    }

    /// For a round: the bays among `bays` it may fold now, none while a registry change holds the fold lock.
    static func claim(_ bays: [String], on sql: any SQLDatabase) async throws -> Set<String> {
        struct Shared: Decodable { var shared: Bool }
        let shared = try await sql.raw("SELECT pg_try_advisory_xact_lock_shared(\(key)) AS shared").first(decoding: Shared.self)
        guard shared?.shared == true else { return [] }
        struct Row: Decodable { var bay: String }
        return Set(try await sql.raw("""
            SELECT b AS bay FROM unnest(\(bind: bays.sorted())) AS b WHERE pg_try_advisory_xact_lock(hashtext('curbside.fold.' || b))
            """).all(decoding: Row.self).map(\.bay))
    }
}
