import FluentKit
import Foundation
import SQLKit

/// Backing up and restoring the embedded SQLite store. A backup is one
/// consistent snapshot taken while the server runs (`VACUUM INTO`: a read
/// transaction, so writers go on and the copy is whole and compacted); a
/// restore checks the file before it replaces the database.
public enum SQLiteBackup {
    /// What a file holds, as a restore checks it.
    public struct Check: Sendable, Equatable {
        /// `PRAGMA integrity_check` said ok.
        public var whole: Bool
        /// Migrations it has that this build does not know: a backup of a newer version.
        public var unknownMigrations: [String]
        /// Migrations this build has that it lacks: applied at the next start.
        public var pendingMigrations: Int
    }

    /// Writes a snapshot of `database` to `path`, which must not exist.
    public static func copy(_ database: any Database, to path: String) async throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw SQLiteBackupError.targetExists(path) }
        try await database.sql.raw("VACUUM INTO \(bind: path)").run()
    }

    /// Checks the database open in `database` (a backup, before it is restored).
    public static func check(_ database: any Database) async throws -> Check {
        struct Integrity: Decodable { var integrity_check: String }
        struct Name: Decodable { var name: String }
        let sql = database.sql
        let whole = try await sql.raw("PRAGMA integrity_check").all(decoding: Integrity.self).map(\.integrity_check) == ["ok"]
        let names = (try? await sql.raw("SELECT name FROM _fluent_migrations").all(decoding: Name.self).map(\.name)) ?? []
        let known = Set(CurbsideMigrations.all.map(\.name))
        return Check(
            whole: whole, unknownMigrations: names.filter { !known.contains($0) }.sorted(), pendingMigrations: known.subtracting(names).count
        )
    }

    /// Puts the backup at `backup` in place of the database at `path`: copied beside it, then renamed over it, with the old
    /// database's write-ahead log and index removed (they belong to the old file). The server must be stopped.
    public static func restore(_ backup: String, to path: String) throws {
        let manager = FileManager.default
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let staged = path + ".restoring"
        try? manager.removeItem(atPath: staged)
        try manager.copyItem(atPath: backup, toPath: staged)
        for stale in [path + "-wal", path + "-shm"] where manager.fileExists(atPath: stale) { try manager.removeItem(atPath: stale) }
        guard rename(staged, path) == 0 else {
            try? manager.removeItem(atPath: staged)
            throw SQLiteBackupError.notRenamed(path)
        }
    }
}

public enum SQLiteBackupError: Error, Equatable, CustomStringConvertible {
    case targetExists(String)
    case notRenamed(String)

    public var description: String {
        switch self {
        case let .targetExists(path): "\(path) exists; a backup never overwrites a file"
        case let .notRenamed(path): "the restored copy could not be renamed to \(path)"
        }
    }
}
