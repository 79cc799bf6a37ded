import FluentKit

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
            return try await database.transaction(body)
        }
        return try await writeLock.withLock { try await database.transaction(body) }
    }
}
