import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `curbside backup` while the server takes events, and `curbside restore`
/// into a new machine's data directory: the restored server has every stay
/// the first one had; a damaged file, a target that exists and a PostgreSQL
/// store are refused.
@Suite("Backup and restore (SQLite)", .ownThread)
struct BackupTests {
    static func sessions(_ port: Int, token: String) async throws -> [String] {
        let body = try await LocalHTTP(port: port).get("/v1/admin/sessions?zone=SP1&status=closed&limit=1000", token: token).json
        return ((body["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }.sorted()
    }

    @Test("A backup taken while the server runs restores into a fresh directory with every stay")
    func backupAndRestore() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-backup-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        func environment(_ directory: String) -> [String: String] {
            ["CURBSIDE_DATA_DIR": directory, "CURBSIDE_ZONES_DIR": RepositoryPaths.zones, "CURBSIDE_TARIFFS_DIR": RepositoryPaths.tariffs,
             "CURBSIDE_LOG_LEVEL": "notice", "CURBSIDE_JWT_SECRET": TestConfiguration.jwtSecret]
        }
        let first = environment(root + "/first"), second = environment(root + "/second")
        let server = try ChildProcess(ChildProcess.curbside, ["serve", "--port", "0"], environment: first)
        let port = try await server.listeningPort()
        let gateway = try await ChildProcess.token("gateway", "gw-backup", environment: first)
        let auditor = try await ChildProcess.token("auditor", "audit", environment: first)
        for batch in stride(from: 0, to: CrashRecoveryTests.stream().count, by: 40).map({ Array(CrashRecoveryTests.stream()[$0..<min($0 + 40, CrashRecoveryTests.stream().count)]) }) {
            #expect(try await CrashRecoveryTests.post(batch, port: port, token: gateway).status == 200)
        }
        var before: [String] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            before = try await Self.sessions(port, token: auditor)
            if before.count >= 120 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(before.count == 120)

        // Online: the server still runs.
        let file = root + "/curbside-backup.sqlite"
        let backup = try await ChildProcess.run(ChildProcess.curbside, ["backup", "--to", file], environment: first)
        #expect(backup.status == 0 && backup.output.contains("Backed up to"), "\(backup.output)")
        #expect(try await ChildProcess.run(ChildProcess.curbside, ["backup", "--to", file], environment: first).status != 0, "never overwrites")
        server.signal(SIGTERM)
        #expect(await server.wait() == 0)

        // A damaged copy is refused, and so is replacing a database without --replace.
        let damaged = root + "/damaged.sqlite"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        for index in stride(from: 8_192, to: min(bytes.count, 40_960), by: 512) { bytes[index] ^= 0xFF }
        try bytes.write(to: URL(fileURLWithPath: damaged))
        #expect(try await ChildProcess.run(ChildProcess.curbside, ["restore", "--from", damaged], environment: second).status != 0)
        #expect(!FileManager.default.fileExists(atPath: root + "/second/curbside.sqlite"))
        #expect(try await ChildProcess.run(ChildProcess.curbside, ["restore", "--from", file], environment: first).status != 0, "the first still has its database")

        let restore = try await ChildProcess.run(ChildProcess.curbside, ["restore", "--from", file], environment: second)
        #expect(restore.status == 0 && restore.output.contains("Restored"), "\(restore.output)")
        let restored = try ChildProcess(ChildProcess.curbside, ["serve", "--port", "0"], environment: second)
        let restoredPort = try await restored.listeningPort()
        let after = try await Self.sessions(restoredPort, token: try await ChildProcess.token("auditor", "audit", environment: second))
        #expect(after == before)
        restored.signal(SIGTERM)
        #expect(await restored.wait() == 0)

        let postgres = try await ChildProcess.run(ChildProcess.curbside, ["backup", "--to", root + "/pg.sqlite"], environment: first.merging(["DATABASE_URL": "postgres://x@127.0.0.1:1/x"]) { $1 })
        #expect(postgres.status != 0 && postgres.output.contains("pg_basebackup"))
    }
}
