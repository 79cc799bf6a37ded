import ArgumentParser
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import Foundation

/// Runs a benchmark once per store: a fresh SQLite file unless skipped, then
/// a fresh database on the PostgreSQL server named, dropped afterwards.
enum BenchStores {
    /// Where benchmarks run, and on which bays.
    struct Options: ParsableArguments {
        @Option(help: "PostgreSQL server to measure on (a fresh database is created next to the one named, and dropped after).")
        var postgres: String?

        @Flag(help: "Leave SQLite out.")
        var skipSqlite = false

        @Option(help: "Registry file whose bays are simulated.")
        var zones = "Zones/heshan-shaping.geojson"

        @Option(help: "Simulate the first N bays of the registry file only (default: all); a tiny run checks the benchmark works.")
        var simulatedBays: Int?

        /// The bays of the registry file whose days are simulated.
        func simulated() throws -> [SimulatedBay] {
            let all = try Self.bays(in: zones)
            return simulatedBays.map { Array(all.prefix(max(1, $0))) } ?? all
        }

        /// Every bay of a registry file, as the simulator sees them.
        static func bays(in zones: String = "Zones/heshan-shaping.geojson") throws -> [SimulatedBay] {
            let (document, _) = RegistryGeoJSON.read(try Data(contentsOf: URL(fileURLWithPath: zones)), cityTimeZone: CitySettings.defaultTimeZone.identifier)
            return SimulatedBay.all(in: document)
        }
    }

    /// Where one run's server keeps its data, and the environment that points it there.
    struct Target {
        var label: String
        var environment: [String: String]
        var dataDirectory: String
        /// The throw-away PostgreSQL database, for measurements on it directly.
        var database: BenchDatabase?
    }

    static func each(_ options: Options, _ body: (Target) async throws -> Void) async throws {
        if !options.skipSqlite {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-bench-\(getpid())").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try await body(Target(label: "SQLite     ", environment: ["CURBSIDE_SQLITE_PATH": directory + "/bench.sqlite"], dataDirectory: directory))
        }
        guard let postgres = options.postgres else { return }
        let database = try await BenchDatabase.create(near: postgres)
        do {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-bench-pg-\(getpid())").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try await body(Target(label: "PostgreSQL ", environment: ["DATABASE_URL": database.url], dataDirectory: directory, database: database))
            try await database.drop()
        } catch {
            try? await database.drop()
            throw error
        }
    }
}
