import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import SQLKit

extension Store {
    /// Registers the database at `location` as the default of `databases`, with
    /// its driver and pool (`poolSize` connections per event loop on PostgreSQL,
    /// with JIT compilation off; a query waits up to `poolTimeout` for one), creating an SQLite file's directory.
    /// Every command opens its store here.
    public static func open(_ location: StoreLocation, in databases: Databases, poolSize: Int, poolTimeout: TimeAmount = .seconds(10)) throws -> Store {
        switch location {
        case let .sqlite(path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            databases.use(.sqlite(.file(path), connectionPoolTimeout: poolTimeout, sqlLogLevel: .trace), as: .sqlite)
        case let .postgres(url):
            var postgres = try SQLPostgresConfiguration(url: url)
            postgres.searchPath = nil
            // The service's statements read a few rows through indexes, but over years of history the planner's cost
            // estimates pass JIT's threshold and compiling took 420 of a retention batch's 480 ms: no JIT on its connections.
            postgres.coreConfiguration.options.additionalStartupParameters.append(("jit", "off"))
            databases.use(.postgres(configuration: postgres, maxConnectionsPerEventLoop: poolSize, connectionPoolTimeout: poolTimeout, sqlLogLevel: .trace), as: .psql)
        }
        return Store(kind: location.kind)
    }

    /// What the store relies on of an open database, before anything else runs
    /// on it: on SQLite, write-ahead logging, so readers do not block the writer
    /// and the writer does not block readers (it stays set in the file).
    public func prepare(_ database: any Database) async throws {
        guard kind == .sqlite, let sql = database as? any SQLDatabase else { return }
        try await sql.raw("PRAGMA journal_mode=WAL").run()
    }

    /// Brings the schema of `databases`' default database up to date: every
    /// migration not yet run, in one batch, as every command that migrates does.
    public func migrate(_ databases: Databases, logger: Logger) async throws {
        let migrations = Migrations()
        migrations.add(CurbsideMigrations.all)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: databases.eventLoopGroup.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }
}
