import CurbsideServer
import CurbsideStore
import Foundation
import Vapor

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
            let app = try await Application.make(.testing)
            app.logger.logLevel = .warning
            do {
                try await CurbsideApp.configure(app, TestConfiguration.make(location, dataDirectory: directory), options: .init(seedRegistry: content == .heshan, routes: false))
                try await app.asyncShutdown()
            } catch {
                try? await app.asyncShutdown()
                throw error
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

/// The configuration tests run with.
public enum TestConfiguration {
    public static let jwtSecret = "curbside-test-signing-secret-0123456789"

    public static func make(_ location: StoreLocation, dataDirectory: String) -> CurbsideConfiguration {
        CurbsideConfiguration(
            database: location, dataDirectory: dataDirectory, zonesDirectory: RepositoryPaths.zones,
            tariffsDirectory: RepositoryPaths.tariffs, jwtSecret: jwtSecret, logLevel: .warning, logFormat: .text,
            databasePoolSize: 2
        )
    }
}
