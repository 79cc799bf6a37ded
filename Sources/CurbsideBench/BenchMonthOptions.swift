import ArgumentParser
import CurbsideServer
import CurbsideStore
import SQLKit
import class Vapor.Application

/// The options of the benchmarks that write a month of a whole city's data
/// into a throw-away PostgreSQL database.
struct BenchMonthOptions: ParsableArguments {
    @Option(help: "A PostgreSQL server URL; the benchmark creates and drops its own database there.")
    var postgres: String

    @Option(help: "Parking sessions in the month.")
    var sessions = 1_000_000

    @Option(help: "Times to repeat each measurement.")
    var runs = 3

    @Flag(help: "Keep the database afterwards, to study the queries (its name is printed).")
    var keep = false

    /// Runs `body` with the URL of a new database beside --postgres, dropped afterwards unless --keep.
    func withDatabase(_ body: (String) async throws -> Void) async throws {
        let database = try await BenchDatabase.create(near: postgres)
        do {
            try await body(database.url)
            if keep {
                print("  kept: \(database.url)")
            } else {
                try await database.drop()
            }
        } catch {
            try? await database.drop()
            throw error
        }
    }

    /// Sets the service up on the database at `url` (schema and the sample district), writes the month's
    /// data, and runs `body` on the same application.
    func withMonth(url: String, month: Range<Int64>, _ body: (Application, Store) async throws -> Void) async throws {
        var configuration = try CommandEnvironment.configuration()
        configuration.store.location = .postgres(url: url)
        configuration.log.level = .error
        try await CommandEnvironment.withApplication(logLevel: .error) { app in
            let store = try await CurbsideApp.configure(app, configuration, options: .init(routes: false))
            try await BenchMonthData(sessions: sessions, month: month).write(on: app.db.sql)
            try await body(app, store)
        }
    }
}
