import FluentKit
import FluentSQLiteDriver
import PostgresNIO

/// Access to the database with the one rule every command follows: all its
/// writes happen in one transaction, so nothing half-written is ever left behind.
public struct Store: Sendable {
    public let kind: StoreKind
    private let writeLock: AsyncLock?

    public init(kind: StoreKind) {
        self.kind = kind
        writeLock = kind == .sqlite ? AsyncLock() : nil
    }

    /// Runs `body` in a transaction. On SQLite, writers in this process queue for
    /// the single write lock instead of failing with SQLITE_BUSY.
    public func write<T: Sendable>(
        on database: any Database, _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        guard let writeLock, !database.inTransaction else {
            return try await retryingConflicts(on: database) { try await database.transaction(body) }
        }
        return try await writeLock.withLock { try await retryingConflicts(on: database) { try await database.transaction(body) } }
    }

    /// PostgreSQL may end a transaction to break a deadlock or a serialization
    /// conflict. On SQLite, another process (a command such as `curbside token`
    /// beside `serve`) may commit between a transaction's first read and its first
    /// write, and SQLite then refuses the write as busy at once, without waiting,
    /// because the transaction's snapshot is stale. Either way it was rolled back
    /// whole, so running it again is safe.
    private func retryingConflicts<T: Sendable>(on database: any Database, _ transaction: () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await transaction()
            } catch where attempt < 4 && !database.inTransaction && Self.isConflict(error) {
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...50) * attempt))
            }
        }
    }

    static func isConflict(_ error: any Error) -> Bool {
        switch error {
        case let error as PSQLError:
            let state = error.serverInfo?[.sqlState]
            return state == "40P01" || state == "40001"
        case let error as SQLiteError:
            return [.busy, .busyInSnapshot, .busyInRecovery, .busyTimeout].contains(error.reason)
        default:
            return false
        }
    }
}
