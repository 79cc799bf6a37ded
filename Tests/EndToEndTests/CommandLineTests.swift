import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The `curbside` executable, run the way operators run it.
@Suite("curbside command line", .ownThread)
struct CommandLineTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-cli-\(UUID().uuidString)").path

    var environment: [String: String] {
        [
            "CURBSIDE_DATA_DIR": directory, "CURBSIDE_ZONES_DIR": RepositoryPaths.zones, "CURBSIDE_TARIFFS_DIR": RepositoryPaths.tariffs,
            "CURBSIDE_LOG_LEVEL": "warning",
        ]
    }

    @Test("import zones: counts what changed, is idempotent, and lists every problem of a bad file")
    func importZones() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = RepositoryPaths.zones + "/heshan-shaping.geojson"
        let first = try await ChildProcess.run(ChildProcess.curbside, ["import", "zones", file], environment: environment)
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("837 change(s) were made"))
        #expect(first.output.contains("bays: 820 created, 0 updated, 0 retired"))

        let again = try await ChildProcess.run(ChildProcess.curbside, ["import", "zones", file], environment: environment)
        #expect(again.output.contains("0 change(s) were made"))
        #expect(again.output.contains("unchanged: 837"))

        let bad = directory + "/bad.geojson"
        try GeoJSONBuilder().bay(code: "10010010", segment: "1001").bay(code: "10010019", segment: "4444").data().write(to: URL(fileURLWithPath: bad))
        let refused = try await ChildProcess.run(ChildProcess.curbside, ["import", "zones", bad], environment: environment)
        #expect(refused.status != 0)
        #expect(refused.output.contains("nothing was written"))
        #expect(refused.output.contains("feature 0 (10010010)"))
        #expect(refused.output.contains("feature 1 (10010019)") && refused.output.contains("unknown_segment"))
    }

    @Test("serve on SQLite and PostgreSQL: answers, accepts a token from `curbside token`, stops on SIGTERM", arguments: StoreKind.testCases)
    func serve(kind: StoreKind) async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var environment = environment
        var database: String?
        if kind == .postgres {
            database = try await TestPostgres.shared.createDatabase()
            environment["DATABASE_URL"] = database
        }
        environment["CURBSIDE_LOG_LEVEL"] = "notice"
        let server = try ChildProcess(ChildProcess.curbside, ["serve", "--port", "0"], environment: environment)
        let client = LocalHTTP(port: try await server.listeningPort())
        try await client.waitUntilReady()
        let availability = try await client.get("/v1/availability")
        #expect(availability.status == 200)
        #expect(availability.text.contains("\"zone_id\":\"SP1\""))

        let token = try await ChildProcess.run(ChildProcess.curbside, ["token", "--role", "auditor", "--subject", "cli"], environment: environment)
        #expect(token.status == 0)
        let zones = try await client.get("/v1/admin/zones", token: token.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(zones.status == 200)
        #expect(try await client.get("/v1/admin/zones").status == 401)

        server.signal(SIGTERM)
        #expect(await server.wait() == 0)
        if let database { try await TestPostgres.shared.dropDatabase(url: database) }
    }

    @Test("A configuration mistake stops the command with the variable named")
    func badConfiguration() async throws {
        var environment = environment
        environment["DATABASE_URL"] = "mysql://localhost/curbside"
        let result = try await ChildProcess.run(ChildProcess.curbside, ["migrate"], environment: environment)
        #expect(result.status != 0)
        #expect(result.output.contains("DATABASE_URL"))
        let role = try await ChildProcess.run(ChildProcess.curbside, ["token", "--role", "king", "--subject", "x"], environment: self.environment)
        #expect(role.status != 0)
        #expect(role.output.contains("Unknown role 'king'"))
    }
}
