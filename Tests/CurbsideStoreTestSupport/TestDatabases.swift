import CurbsideStore
import FluentKit
import Foundation
import Logging
import NIOPosix

/// What a fresh test database holds.
public enum TestContent: String, Sendable, CaseIterable {
    /// Migrated, with Tariffs/ loaded, and no registry.
    case empty
    /// Also the Heshan sample district from Zones/.
    case heshan
}

/// Fresh databases for tests, each a copy of a template prepared once per
/// process: a file copy for SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL.
public actor TestDatabases {
    public static let shared = TestDatabases()

    private var templates: [String: Task<String, any Error>] = [:]
    private let directory = TestDatabases.folder

    /// Where this process keeps its SQLite files; removed when the process exits.
    static let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-tests-\(getpid())").path
        atexit { try? FileManager.default.removeItem(atPath: TestDatabases.folder) }
        return path
    }()

    public func fresh(_ kind: StoreKind, content: TestContent) async throws -> StoreLocation {
        let template = try await template(kind, content: content)
        switch kind {
        case .sqlite:
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = directory + "/\(UUID().uuidString).sqlite"
            try FileManager.default.copyItem(atPath: template, toPath: path)
            return .sqlite(path: path)
        case .postgres:
            return .postgres(url: try await TestPostgres.shared.createDatabase(template: template))
        }
    }

    public func discard(_ location: StoreLocation) async {
        switch location {
        case let .sqlite(path):
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        case let .postgres(url):
            try? await TestPostgres.shared.dropDatabase(url: url)
        }
    }

    private func template(_ kind: StoreKind, content: TestContent) async throws -> String {
        let key = "\(kind)-\(content)"
        if let task = templates[key] { return try await task.value }
        let directory = directory
        let task = Task {
            let location: StoreLocation
            switch kind {
            case .sqlite:
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                location = .sqlite(path: directory + "/template-\(content).sqlite")
            case .postgres:
                location = .postgres(url: try await TestPostgres.shared.createDatabase())
            }
            try await TestStores.with(location) { store, databases, database in
                let logger = Logger(label: "curbside.tests")
                try await store.migrate(databases, logger: logger)
                try await Seeder.loadTariffs(from: RepositoryPaths.tariffs, store: store, database: database, logger: logger)
                if content == .heshan {
                    try await Seeder.seedRegistryIfEmpty(from: RepositoryPaths.zones, cityTimeZone: "Asia/Shanghai", store: store, database: database, logger: logger)
                }
            }
            switch location {
            case let .sqlite(path):
                return path
            case let .postgres(url):
                let name = "curbside_template_\(content)_\(getpid())"
                let renamed = try await TestPostgres.shared.rename(url: url, to: name)
                return String(renamed.split(separator: "/").last!.split(separator: "?").first!)
            }
        }
        templates[key] = task
        return try await task.value
    }
}
