import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// Every row of the README's command table runs: `--help` for each, and a
/// short real run for each that finishes in seconds, the benchmarks on a tiny
/// size. A documented command cannot break unnoticed, and a command added to
/// the table without a run here fails this test.
@Suite("The README's commands", .ownThread)
struct CommandTableTests {
    /// The commands the README's table lists, with their program ("curbside demo", "curbside-bench quotes").
    static func documented() throws -> [String] {
        let readme = try String(contentsOfFile: RepositoryPaths.root + "/README.md", encoding: .utf8)
        return readme.split(separator: "\n").compactMap { line -> String? in
            guard let match = line.firstMatch(of: /^\| `(curbside(?:-bench)? [a-z ]+?)(?: [A-Z\[-].*)?` \|/) else { return nil }
            return String(match.1)
        }
    }

    /// The program of a documented command and its arguments.
    static func program(_ command: String) -> (path: String, arguments: [String]) {
        let words = command.split(separator: " ").map(String.init)
        return (words[0] == "curbside-bench" ? ChildProcess.curbsideBench : ChildProcess.curbside, Array(words.dropFirst()))
    }

    /// A short real run of each command (its arguments), by its table name; nil where the command is run by a test of its own.
    static func runs(directory: String, postgres: String?) -> [String: [String]?] {
        let file = RepositoryPaths.zones + "/heshan-shaping.geojson"
        return [
            "curbside demo": nil,  // DemoTests runs it, for five days.
            "curbside serve": nil,  // CommandLineTests and IdleConnectionTests run it.
            "curbside migrate": ["migrate"],
            "curbside backup": nil,  // BackupTests runs it, and restore, against a running server.
            "curbside restore": nil,
            "curbside import zones": ["import", "zones", file, "--dry-run"],
            "curbside token": ["token", "--role", "auditor", "--subject", "table"],
            "curbside quote": ["quote", "--tariff", RepositoryPaths.tariffs + "/heshan.yaml", "--class", "1", "--from", "2026-11-20T09:00", "--to", "2026-11-20T11:40"],
            "curbside replay": ["replay"],
            "curbside report": ["report", "--month", "2026-11", "--out", directory + "/report"],
            "curbside simulate day": ["simulate", "day", "--zones", file, "--out", directory + "/day"],
            "curbside simulate channels": ["simulate", "channels", "--out", directory + "/channels", "--seconds", "0.5"],
            "curbside simulate sms": ["simulate", "sms", "--out", directory + "/sms", "--seconds", "0.5"],
            "curbside-bench quotes": ["quotes", "--tariffs", RepositoryPaths.tariffs, "--seconds", "0.1", "--stays", "200"],
            // On PostgreSQL alone where there is one: the same code, in less time.
            "curbside-bench ingest": ["ingest", "--zones", file, "--simulated-bays", "80", "--days", "1", "--port", "18580"]
                + (postgres.map { ["--postgres", $0, "--skip-sqlite"] } ?? []),
            "curbside-bench accuracy": ["accuracy", "--zones", file, "--simulated-bays", "40", "--days", "1", "--port", "18584"]
                + (postgres.map { ["--postgres", $0, "--skip-sqlite"] } ?? []),
            "curbside-bench beat": ["beat", "--zones", file, "--simulated-bays", "80", "--rate", "20", "--seconds", "1", "--bays", "20", "--port", "18581"]
                + (postgres.map { ["--postgres", $0, "--skip-sqlite"] } ?? []),
            "curbside-bench feed": ["feed", "--zones", file, "--simulated-bays", "80", "--outage", "1", "--port", "18582"]
                + (postgres.map { ["--postgres", $0, "--skip-sqlite"] } ?? []),
            "curbside-bench payments": ["payments", "--zones", file, "--simulated-bays", "40", "--port", "18585"]
                + (postgres.map { ["--postgres", $0, "--skip-sqlite"] } ?? []),
            "curbside-bench report": postgres.map { ["report", "--postgres", $0, "--sessions", "2000", "--runs", "1"] },
            "curbside-bench cds": postgres.map { ["cds", "--postgres", $0, "--sessions", "2000", "--runs", "1", "--port", "18583"] },
            "curbside-bench scale": postgres.map {
                ["scale", "--postgres", $0, "--zones", file, "--bays", "830", "--days", "1", "--requests", "2", "--sample-bays", "80", "--port", "18586",
                 "--chart", directory + "/scale.png"]
            },
        ]
    }

    @Test("Every command in the README's table answers --help and, where it takes seconds, runs")
    func table() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-commands-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let postgres: String? = TestPostgres.isAvailable || TestPostgres.isRequired ? try await TestPostgres.shared.createDatabase() : nil
        let environment = [
            "CURBSIDE_DATA_DIR": directory, "CURBSIDE_ZONES_DIR": RepositoryPaths.zones, "CURBSIDE_TARIFFS_DIR": RepositoryPaths.tariffs,
            "CURBSIDE_LOG_LEVEL": "warning", "DATABASE_URL": "",
        ]
        let documented = try Self.documented()
        #expect(documented.count >= 16, "\(documented)")
        let runs = Self.runs(directory: directory, postgres: postgres)
        for command in documented {
            #expect(runs.keys.contains(command), "`\(command)` is in the README but has no run in this test")
            let program = Self.program(command)
            let help = try await ChildProcess.run(program.path, program.arguments + ["--help"], environment: environment)
            #expect(help.status == 0 && help.output.contains("USAGE"), "\(command) --help: \(help.output.prefix(300))")
        }
        // Migrated and seeded first, as an operator would have it, for replay and report.
        #expect(try await ChildProcess.run(ChildProcess.curbside, ["migrate"], environment: environment).status == 0)
        for (command, arguments) in runs.sorted(by: { $0.key < $1.key }) {
            guard let arguments = arguments ?? nil else { continue }
            let run = try await ChildProcess.run(Self.program(command).path, arguments, environment: environment)
            #expect(run.status == 0, "\(command) \(arguments.joined(separator: " ")):\n\(run.output.suffix(1500))")
        }
    }
}
