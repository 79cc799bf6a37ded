import Foundation
import Logging
import NIOPosix
import PostgresNIO

/// PostgreSQL for tests: the server named by CURBSIDE_TEST_POSTGRES_URL, or a
/// throw-away cluster started with initdb and pg_ctl in a temporary folder and
/// stopped when the test process exits. Tests get a fresh database each, copied
/// from a migrated template, which is much faster than migrating each one.
public actor TestPostgres {
    public static let shared = TestPostgres()

    /// Set to 1 where skipping would hide a failure (CI): a missing server fails the tests instead.
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["CURBSIDE_REQUIRE_POSTGRES"] == "1" }

    /// Whether PostgreSQL tests can run here, decided without starting anything.
    /// CURBSIDE_SKIP_POSTGRES=1 runs the SQLite cases alone, for a quick local loop.
    public static var isAvailable: Bool {
        let environment = ProcessInfo.processInfo.environment
        if environment["CURBSIDE_SKIP_POSTGRES"] == "1" { return false }
        return environment["CURBSIDE_TEST_POSTGRES_URL"] != nil || Binaries.find() != nil
    }

    public static let skipReason = "The PostgreSQL runs of the store tests were SKIPPED: no initdb/pg_ctl found and CURBSIDE_TEST_POSTGRES_URL unset (or CURBSIDE_SKIP_POSTGRES=1). Install postgresql to run it; CURBSIDE_REQUIRE_POSTGRES=1 makes this an error."

    struct Server {
        var host: String
        var port: Int
        var username: String
        var password: String?
    }

    private var starting: Task<Server, any Error>?
    private var server: Server?
    private var counter = 0

    /// A URL to a new, empty database on the test server.
    public func createDatabase(template: String? = nil) async throws -> String {
        let server = try await self.server()
        counter += 1
        let name = "curbside_test_\(ProcessInfo.processInfo.processIdentifier)_\(counter)"
        try await execute("CREATE DATABASE \(name)" + (template.map { " TEMPLATE \($0)" } ?? ""), on: server)
        return Self.url(server, database: name)
    }

    public func dropDatabase(url: String) async throws {
        guard let server, let name = url.split(separator: "/").last?.split(separator: "?").first else { return }
        try await execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", on: server)
    }

    /// Renames a prepared database so that it can serve as a template under a stable name.
    public func rename(url: String, to name: String) async throws -> String {
        let server = try await self.server()
        guard let old = url.split(separator: "/").last?.split(separator: "?").first else { return url }
        try await execute("ALTER DATABASE \(old) RENAME TO \(name)", on: server)
        return Self.url(server, database: name)
    }

    static func url(_ server: Server, database: String) -> String {
        let credentials = server.username + (server.password.map { ":\($0)" } ?? "")
        return "postgres://\(credentials)@\(server.host):\(server.port)/\(database)?tlsmode=disable"
    }

    /// The server, started once however many tests ask at the same time.
    private func server() async throws -> Server {
        if let server { return server }
        let task = starting ?? Task {
            if let text = ProcessInfo.processInfo.environment["CURBSIDE_TEST_POSTGRES_URL"] {
                guard let url = URL(string: text), let host = url.host, let user = url.user else {
                    throw TestPostgresError("CURBSIDE_TEST_POSTGRES_URL must look like postgres://user[:password]@host:port/db")
                }
                return Server(host: host, port: url.port ?? 5432, username: user, password: url.password)
            }
            return try await ThrowawayCluster.start()
        }
        starting = task
        let started = try await task.value
        server = started
        return started
    }

    /// Runs a statement on the maintenance database. Renaming or copying a database
    /// fails while a connection to it is still closing (a template's app just shut
    /// down), so that is waited out; other failures say what the server said.
    private func execute(_ sql: String, on server: Server) async throws {
        for attempt in 1... {
            do {
                return try await executeOnce(sql, on: server)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "55006" && attempt < 50 {
                try await Task.sleep(for: .milliseconds(200))
            } catch {
                throw TestPostgresError("\(sql): \(String(reflecting: error))")
            }
        }
    }

    private func executeOnce(_ sql: String, on server: Server) async throws {
        let configuration = PostgresConnection.Configuration(
            host: server.host, port: server.port, username: server.username, password: server.password,
            database: "postgres", tls: .disable
        )
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: Logger(label: "test-postgres")
        )
        defer { Task { try? await connection.close() } }
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test-postgres"))
    }
}

public struct TestPostgresError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Finds initdb and pg_ctl on PATH or in Debian's versioned directories.
enum Binaries {
    static func find() -> (initdb: String, pgCtl: String)? {
        var directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if let versions = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            directories += versions.sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
        }
        for directory in directories {
            let initdb = directory + "/initdb", pgCtl = directory + "/pg_ctl"
            if FileManager.default.isExecutableFile(atPath: initdb), FileManager.default.isExecutableFile(atPath: pgCtl) {
                return (initdb, pgCtl)
            }
        }
        return nil
    }
}
