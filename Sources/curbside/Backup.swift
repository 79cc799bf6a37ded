import ArgumentParser
import CurbsideServer
import CurbsideStore
import Foundation

/// A consistent copy of the embedded SQLite store, taken while the server runs.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the SQLite database, consistent, while the server runs.",
        discussion: "PostgreSQL is backed up with a base backup and its write-ahead log: see docs/operations.md."
    )

    @Option(help: "The file to write; it must not exist.")
    var to: String

    func run() async throws {
        let configuration = try CommandEnvironment.configuration()
        CommandEnvironment.bootstrapLogging(configuration)
        guard case .sqlite = configuration.store.location else {
            throw CommandLineError("The database is PostgreSQL: back it up with pg_basebackup and WAL archiving (docs/operations.md).")
        }
        let target = URL(fileURLWithPath: to).standardizedFileURL.path
        try await CommandEnvironment.withApplication(logLevel: configuration.log.level) { app in
            try await CurbsideApp.configure(app, configuration, options: .init(migrate: false, loadTariffs: false, seedRegistry: false, routes: false))
            do {
                try await SQLiteBackup.copy(app.db, to: target)
            } catch let error as SQLiteBackupError {
                throw CommandLineError(error.description)
            }
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
        print("Backed up to \(target) (\(bytes) bytes).")
    }
}

/// Puts a backup in place of the embedded SQLite store, once it checks whole; the server must be stopped.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore the SQLite database from a backup (the server stopped).",
        discussion: "The backup is checked (integrity, migrations this build knows) before it replaces the database."
    )

    @Option(help: "The backup file.")
    var from: String

    @Flag(help: "Replace a database that exists.")
    var replace = false

    func run() async throws {
        let configuration = try CommandEnvironment.configuration()
        CommandEnvironment.bootstrapLogging(configuration)
        guard case let .sqlite(path) = configuration.store.location else {
            throw CommandLineError("The database is PostgreSQL: restore it from its base backup and WAL (docs/operations.md).")
        }
        let backup = URL(fileURLWithPath: from).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: backup) else { throw CommandLineError("No backup at \(backup).") }
        if FileManager.default.fileExists(atPath: path) && !replace {
            throw CommandLineError("\(path) exists; stop the server and add --replace to put the backup in its place.")
        }
        var reading = configuration
        reading.store.location = .sqlite(path: backup)
        let check = try await CommandEnvironment.withApplication(logLevel: configuration.log.level) { app in
            try await CurbsideApp.configure(app, reading, options: .init(migrate: false, loadTariffs: false, seedRegistry: false, routes: false))
            return try await SQLiteBackup.check(app.db)
        }
        guard check.whole else { throw CommandLineError("\(backup) is damaged (integrity_check); nothing was restored.") }
        guard check.unknownMigrations.isEmpty else {
            throw CommandLineError("\(backup) comes from a newer Curbside (migrations \(check.unknownMigrations.joined(separator: ", "))); nothing was restored.")
        }
        try SQLiteBackup.restore(backup, to: path)
        print("Restored \(path) from \(backup)" + (check.pendingMigrations > 0 ? "; \(check.pendingMigrations) migrations run at the next start." : "."))
    }
}
