import CurbsideStore
import FluentKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing

/// A store on a fresh database, with no server around it.
public struct TestStore: Sendable {
    public let kind: StoreKind
    public let store: Store
    public let database: any Database
    let databases: Databases

    public var registry: Registry { Registry(store: store, database: database) }

    /// A handle on each event loop, as concurrent requests have: each loop has connections of its own.
    public func handlesOnEveryLoop() -> [any Database] {
        databases.eventLoopGroup.makeIterator().compactMap { databases.database(logger: Logger(label: "curbside.tests"), on: $0) }
    }
}

/// Opens stores the way every command does (`Store.open`, `prepare`), on
/// databases of their own, and closes them however the body ends.
public enum TestStores {
    /// Runs `body` against a store on a fresh database of `kind`. PostgreSQL cases
    /// are cancelled (reported as skipped, with the reason) where PostgreSQL is not
    /// installed, unless CURBSIDE_REQUIRE_POSTGRES=1 makes that a failure.
    public static func with<T: Sendable>(_ kind: StoreKind, content: TestContent = .heshan, _ body: (TestStore) async throws -> T) async throws -> T {
        if kind == .postgres && !TestPostgres.isAvailable && !TestPostgres.isRequired {
            try Test.cancel(Comment(rawValue: TestPostgres.skipReason))
        }
        let location = try await TestDatabases.shared.fresh(kind, content: content)
        do {
            let result = try await with(location) { store, databases, database in try await body(TestStore(kind: kind, store: store, database: database, databases: databases)) }
            await TestDatabases.shared.discard(location)
            return result
        } catch {
            await TestDatabases.shared.discard(location)
            throw error
        }
    }

    /// Opens the database at `location` and runs `body` with its store, the databases it is registered in, and a handle.
    static func with<T: Sendable>(
        _ location: StoreLocation, _ body: (Store, Databases, any Database) async throws -> T
    ) async throws -> T {
        try await withDatabases { databases in
            let store = try Store.open(location, in: databases, poolSize: 2, poolTimeout: .seconds(60))
            let database = try defaultDatabase(of: databases)
            try await store.prepare(database)
            return try await body(store, databases, database)
        }
    }

    /// At least two event loops whatever the machine, so that tests of concurrent writers
    /// have connections on two loops, as a server's requests do; kept for the whole run.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: max(2, NIOSingletons.groupLoopCountSuggestion))

    /// Runs `body` with a set of databases of its own (nothing registered yet), shut down however `body` ends.
    public static func withDatabases<T: Sendable>(_ body: (Databases) async throws -> T) async throws -> T {
        let threads = NIOThreadPool(numberOfThreads: 1)
        threads.start()
        let databases = Databases(threadPool: threads, on: eventLoops)
        do {
            let result = try await body(databases)
            await databases.shutdownAsync()
            try await threads.shutdownGracefully()
            return result
        } catch {
            await databases.shutdownAsync()
            try? await threads.shutdownGracefully()
            throw error
        }
    }

    /// A handle on the default database of `databases`.
    public static func defaultDatabase(of databases: Databases) throws -> any Database {
        guard let database = databases.database(logger: Logger(label: "curbside.tests"), on: eventLoops.any()) else {
            throw TestPostgresError("no database is registered")
        }
        return database
    }
}
