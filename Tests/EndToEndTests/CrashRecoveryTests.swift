import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing
import Vapor
#if canImport(Glibc)
import Glibc
#endif

/// The server killed with SIGKILL in the middle of a stream of batches loses
/// nothing it acknowledged, and folds no session twice after it comes back.
@Suite("Crash recovery", .ownThread)
struct CrashRecoveryTests {
    /// 20 detectors, six stays each on 2026-11-20, with heartbeats; the events in time order.
    static func stream() -> [[String: any Sendable]] {
        var events: [(Int64, [String: any Sendable])] = []
        let day: Int64 = 1_795_104_000 // 2026-11-20T00:00:00+08:00
        for sensor in 1...20 {
            let device = "GM-1001-" + String(format: "%03d", sensor)
            var id = 0
            func add(_ seconds: Int64, _ fields: [String: any Sendable]) {
                id += 1
                let time = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(day + seconds)))
                events.append((day + seconds, fields.merging(["device_id": device, "event_id": String(id), "time": time]) { $1 }))
            }
            for stay in 0..<6 {
                let arrival = Int64(7 * 3600 + stay * 7200 + sensor * 37)
                add(arrival, ["type": "sensor_change", "occupied": true])
                add(arrival + 1800, ["type": "heartbeat", "occupied": true, "battery": 80])
                add(arrival + 3600 + Int64(sensor * 11), ["type": "sensor_change", "occupied": false])
                add(arrival + 3600 + 1500, ["type": "heartbeat", "occupied": false, "battery": 80])
            }
        }
        return events.sorted { $0.0 < $1.0 }.map(\.1)
    }

    @Test("Every acknowledged event survives a SIGKILL, and no session is doubled after restart", arguments: StoreKind.testCases)
    func killMidStream(kind: StoreKind) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-crash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The server's clock stands at the evening of the stream's day, whenever the test runs.
        let evening = Date(timeIntervalSince1970: 1_795_104_000 + 20 * 3600)
        var environment = [
            "CURBSIDE_DATA_DIR": directory, "CURBSIDE_ZONES_DIR": RepositoryPaths.zones, "CURBSIDE_TARIFFS_DIR": RepositoryPaths.tariffs,
            "CURBSIDE_LOG_LEVEL": "notice", "CURBSIDE_JWT_SECRET": TestConfiguration.jwtSecret,
            "CURBSIDE_CLOCK_OFFSET_SECONDS": String(Int(evening.timeIntervalSinceNow.rounded())),
        ]
        let location: StoreLocation
        if kind == .postgres {
            let url = try await TestPostgres.shared.createDatabase()
            environment["DATABASE_URL"] = url
            location = .postgres(url: url)
        } else {
            location = .sqlite(path: directory + "/curbside.sqlite")
        }
        let batches = stride(from: 0, to: Self.stream().count, by: 40).map { Array(Self.stream()[$0..<min($0 + 40, Self.stream().count)]) }

        var server = try ChildProcess(ChildProcess.curbside, ["serve", "--port", "0"], environment: environment)
        var port = try await server.listeningPort()
        let token = try await ChildProcess.token("gateway", "gw-crash", environment: environment)
        var acknowledged = Set<String>()
        var killedAt = 0
        for (index, batch) in batches.enumerated() {
            if index == batches.count / 2 {
                // Kill the server while this batch is on its way: it may or may not be stored, but it is not acknowledged.
                async let inFlight = try? Self.post(batch, port: port, token: token)
                try await Task.sleep(for: .milliseconds(5))
                server.signal(SIGKILL)
                _ = await inFlight
                #expect(await server.wait() == 128 + SIGKILL)
                killedAt = index
                break
            }
            let response = try await Self.post(batch, port: port, token: token)
            #expect(response.status == 200)
            if response.status == 200 {
                for event in batch { acknowledged.insert("\(event["device_id"]!)/\(event["event_id"]!)") }
            }
        }
        #expect(killedAt > 0)

        server = try ChildProcess(ChildProcess.curbside, ["serve", "--port", "0", "--no-migrate"], environment: environment)
        port = try await server.listeningPort()
        let stored = try await Self.storedKeys(location, directory: directory)
        #expect(acknowledged.isSubset(of: stored), "\(acknowledged.subtracting(stored).count) acknowledged events were lost")

        // The gateway re-sends what was not acknowledged (the batch in flight among it), then the rest.
        for batch in batches[killedAt...] {
            #expect(try await Self.post(batch, port: port, token: token).status == 200)
        }
        let client = LocalHTTP(port: port)
        let auditor = try await ChildProcess.token("auditor", "audit", environment: environment)
        var sessions: [[String: Any]] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            sessions = try await client.get("/v1/admin/sessions?zone=SP1&status=closed&limit=1000", token: auditor).json["items"] as? [[String: Any]] ?? []
            if sessions.count >= 120 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(sessions.count == 120, "20 detectors × 6 stays")
        let perBay = Dictionary(grouping: sessions, by: { $0["bay"] as! String })
        #expect(perBay.count == 20)
        #expect(perBay.values.allSatisfy { $0.count == 6 })
        server.signal(SIGTERM)
        #expect(await server.wait() == 0)

        let replay = try await Self.withDatabase(location, directory: directory) { app in try await Replay(database: app.db).run() }
        #expect(replay.differences.isEmpty)
        if case let .postgres(url) = location { try await TestPostgres.shared.dropDatabase(url: url) }
    }

    static func post(_ events: [[String: any Sendable]], port: Int, token: String) async throws -> TestResponse {
        try await LocalHTTP(port: port).post("/v1/gateway/events", json: ["events": events], token: token)
    }

    static func storedKeys(_ location: StoreLocation, directory: String) async throws -> Set<String> {
        try await withDatabase(location, directory: directory) { app in
            struct Row: Decodable { var device_id: String; var event_id: String }
            let rows = try await app.db.sql.raw("SELECT device_id, event_id FROM device_events").all(decoding: Row.self)
            return Set(rows.map { $0.device_id + "/" + $0.event_id })
        }
    }

    /// Opens the database the server used, without serving.
    static func withDatabase<T: Sendable>(_ location: StoreLocation, directory: String, _ body: (Application) async throws -> T) async throws -> T {
        let app = try await Application.make(.testing)
        do {
            try await CurbsideApp.configure(app, TestConfiguration.make(location, dataDirectory: directory), options: .init(migrate: false, loadTariffs: false, seedRegistry: false, routes: false))
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
