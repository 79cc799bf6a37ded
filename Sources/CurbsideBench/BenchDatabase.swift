import Foundation
import Logging
import NIOPosix
import PostgresNIO

/// A throw-away PostgreSQL database for a benchmark, and the database's own
/// insert rate for rows the service stored.
struct BenchDatabase {
    let server: URLComponents
    let name: String
    var url: String {
        var components = server
        components.path = "/" + name
        return components.string!
    }

    /// `label` tells apart several databases of one run.
    static func create(near url: String, label: String = "") async throws -> BenchDatabase {
        guard let components = URLComponents(string: url), components.host != nil else {
            throw BenchFailure(description: "--postgres: not a postgres:// URL: \(url)")
        }
        let database = BenchDatabase(server: components, name: "curbside_bench_\(getpid())\(label.isEmpty ? "" : "_" + label)")
        try await database.onServer { try await $0.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(database.name)"), logger: Self.logger) }
        try await database.onServer { try await $0.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(database.name)"), logger: Self.logger) }
        return database
    }

    func drop() async throws {
        try await onServer { try await $0.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: Self.logger) }
    }

    /// Rows per second inserting the stored events into an identical table, in
    /// batches of `batch` rows from `concurrency` connections: no HTTP, JSON
    /// decoding, checks, occupancy or fusion, only the database.
    func rawInsertRate(batch: Int, concurrency: Int) async throws -> Double {
        let rows: [String] = try await on(name) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE TABLE raw_copy (LIKE device_events INCLUDING ALL)"), logger: Self.logger)
            var rows: [String] = []
            for try await row in try await connection.query("SELECT row_to_json(e)::text FROM device_events e ORDER BY e.id", logger: Self.logger).decode(String.self) {
                rows.append(row)
            }
            return rows
        }
        let batches = stride(from: 0, to: rows.count, by: batch).map { "[" + rows[$0..<min($0 + batch, rows.count)].joined(separator: ",") + "]" }
        let queue = BatchQueue(count: batches.count)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    try await on(name) { connection in
                        while let index = await queue.next() {
                            let json = batches[index]
                            try await connection.query(
                                "INSERT INTO raw_copy SELECT * FROM json_populate_recordset(NULL::raw_copy, \(json)::json)", logger: Self.logger
                            )
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(rows.count) / (ContinuousClock.now - started).seconds
    }

    static let logger = Logger(label: "curbside.bench")

    @discardableResult
    private func onServer<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await on(String(server.path.dropFirst()).isEmpty ? "postgres" : String(server.path.dropFirst()), body)
    }

    func on<T>(_ database: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let configuration = PostgresConnection.Configuration(
            host: server.host!, port: server.port ?? 5432, username: server.user ?? "postgres", password: server.password,
            database: database, tls: .disable
        )
        let connection = try await PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: Self.logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
