import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Three `curbside serve` processes on one PostgreSQL with their jobs on, as
/// a city runs them behind a load balancer: a day's events streamed through
/// all three, one killed mid-stream and restarted, every job's work done
/// exactly once; then a rolling restart under load, each server draining
/// (readiness 503 first) before it stops, and no request failing; the
/// servers come back two months on, and the unpaid bills' arrears steps are
/// each taken once.
@Suite("Several servers, one database", .ownThread)
struct MultiServerTests {
    /// Five bays of one segment, eight stays each within the charged hours, every car read by the segment's camera; each detector's
    /// heartbeat an hour after its last stay, so that stay is settled too.
    static func day() -> [[String: any Sendable]] {
        (1...5).flatMap { bay -> [[String: any Sendable]] in
            let code = ["10010019", "10010027", "10010035", "10010043", "10010051"][bay - 1]
            let stays = (0..<8).flatMap { stay -> [[String: any Sendable]] in
                let hour = 8 + stay
                return StayEvents.stay(
                    bay: code, sensor: "GM-1001-00\(bay)", plate: String(format: "粤J%d%04d", bay, stay), from: String(format: "2026-11-20T%02d:05:00+08:00", hour),
                    to: String(format: "2026-11-20T%02d:55:00+08:00", hour), id: "M\(bay)-\(stay)"
                )
            }
            let quiet: [String: any Sendable] = [
                "device_id": "GM-1001-00\(bay)", "event_id": "M\(bay)-quiet", "bay": code, "time": "2026-11-20T17:00:00+08:00", "type": "heartbeat",
                "occupied": false, "battery": 90,
            ]
            return stays + [quiet]
        }
    }

    struct Count: Decodable { var n: Int }

    static func count(_ sql: any SQLDatabase, _ query: SQLQueryString) async throws -> Int {
        try await sql.raw(query).first(decoding: Count.self)?.n ?? -1
    }

    /// Waits (up to 90 s) until the count reaches `target`, then 2 s more, so any work done twice would show too.
    static func settle(_ sql: any SQLDatabase, until query: SQLQueryString, reaches target: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(90)
        while try await count(sql, query) < target, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
        }
        try await Task.sleep(for: .seconds(2))
    }

    @Test("Every job's work once across three servers, one killed and restarted; a rolling restart under load fails no request")
    func threeServers() async throws {
        guard TestPostgres.isAvailable || TestPostgres.isRequired else { return }
        let url = try await TestPostgres.shared.createDatabase()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-multi-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        // The servers' clock stands at the evening of the day streamed, whenever the test runs; later, two months on.
        let evening = try #require(ISO8601DateFormatter().date(from: "2026-11-20T10:00:00Z"))
        let offset = Int(evening.timeIntervalSinceNow.rounded())
        func environment(_ n: Int, daysLater: Int = 0) -> [String: String] {
            ["DATABASE_URL": url, "CURBSIDE_DATA_DIR": root + "/\(n)", "CURBSIDE_ZONES_DIR": RepositoryPaths.zones, "CURBSIDE_TARIFFS_DIR": RepositoryPaths.tariffs,
             "CURBSIDE_LOG_LEVEL": "notice", "CURBSIDE_JWT_SECRET": TestConfiguration.jwtSecret, "CURBSIDE_BILL_DELAY_SECONDS": "1", "CURBSIDE_DRAIN_SECONDS": "5",
             "CURBSIDE_NOTICES": "dir:" + root + "/notices", "CURBSIDE_CLOCK_OFFSET_SECONDS": String(offset + daysLater * 86_400)]
        }
        // The first migrates and loads the registry; the others start on it.
        var servers = [try ChildProcess(ChildProcess.curbside, ["serve", "--port", "0"], environment: environment(0))]
        var ports = [try await servers[0].listeningPort()]
        try await LocalHTTP(port: ports[0]).waitUntilReady()
        for n in 1...2 {
            servers.append(try ChildProcess(ChildProcess.curbside, ["serve", "--port", "0", "--no-migrate"], environment: environment(n)))
            ports.append(try await servers[n].listeningPort())
        }
        let gateway = try await ChildProcess.token("gateway", "gw-multi", environment: environment(0))

        // The day, round-robin over the three; the second server killed halfway and started again.
        let events = Self.day()
        let batches = stride(from: 0, to: events.count, by: 25).map { Array(events[$0..<min($0 + 25, events.count)]) }
        for (index, batch) in batches.enumerated() {
            if index == batches.count / 2 {
                servers[1].signal(SIGKILL)
                _ = await servers[1].wait()
                servers[1] = try ChildProcess(ChildProcess.curbside, ["serve", "--port", "0", "--no-migrate"], environment: environment(1))
                ports[1] = try await servers[1].listeningPort()
            }
            #expect(try await CrashRecoveryTests.post(batch, port: ports[index % 3], token: gateway).status == 200)
        }

        // Sessions, bills and notices, each once, whichever server's jobs did them.
        try await CrashRecoveryTests.withDatabase(.postgres(url: url), directory: root) { app in
            let sql = app.db.sql
            try await Self.settle(sql, until: "SELECT COUNT(*) AS n FROM notices WHERE sent_ms IS NOT NULL", reaches: 40)
            // What the stored sessions are is what a fold of every stored event gives: no server's fold undid another's.
            #expect(try await Replay(database: app.db).run().differences.isEmpty)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM parking_sessions WHERE status = 'closed'") == 40)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM (SELECT bay_code, start_ms FROM parking_sessions GROUP BY bay_code, start_ms HAVING COUNT(*) > 1) d") == 0)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM bills") == 40)
            #expect(try await Self.count(sql, "SELECT COUNT(DISTINCT session_id) AS n FROM bills") == 40)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM notices") == 40)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM notices WHERE sent_ms IS NOT NULL") == 40)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM (SELECT bill_number FROM notices GROUP BY bill_number HAVING COUNT(*) > 1) d") == 0)
            // One fee record in the city feed per ledger entry.
            let fees = try await Self.count(sql, "SELECT COUNT(*) AS n FROM feed_outbox WHERE kind = 'fee'")
            let entries = try await Self.count(sql, "SELECT COUNT(*) AS n FROM ledger_entries")
            #expect(fees == entries && entries >= 40)
        }

        // A rolling restart under load, each server coming back 61 days on, when the unpaid bills' arrears steps fall due
        // (reminders on days 7 and 21, make-up on 30, final notice on 60): the balancer sends only to servers whose
        // readiness is 200, polled every 100 ms.
        // The drain (5 s) outlasts the poll even when the machine running the suites in parallel stalls it for seconds.
        let ready = NIOLockedValueBox(Set(ports))
        let failures = NIOLockedValueBox([String]())
        let served = NIOLockedValueBox(0)
        let running = NIOLockedValueBox(true)
        let balancer = Task {
            while running.withLockedValue({ $0 }) {
                for port in ready.withLockedValue({ Array($0) }) {
                    let status = (try? await LocalHTTP(port: port).get("/readyz"))?.status
                    if status != 200 { ready.withLockedValue { _ = $0.remove(port) } }
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        let load = Task {
            var turn = 0
            while running.withLockedValue({ $0 }) {
                let choices = ready.withLockedValue { Array($0).sorted() }
                guard !choices.isEmpty else { try? await Task.sleep(for: .milliseconds(20)); continue }
                turn += 1
                let port = choices[turn % choices.count]
                do {
                    let response = try await LocalHTTP(port: port).get("/v1/availability")
                    if response.status == 200 { served.withLockedValue { $0 += 1 } } else { failures.withLockedValue { $0.append("\(port): \(response.status)") } }
                } catch {
                    failures.withLockedValue { $0.append("\(port): \(error)") }
                }
            }
        }
        for n in 0..<3 {
            let before = served.withLockedValue { $0 }
            servers[n].signal(SIGTERM)
            #expect(await servers[n].wait() == 0, "server \(n) stops cleanly")
            servers[n] = try ChildProcess(ChildProcess.curbside, ["serve", "--port", "0", "--no-migrate"], environment: environment(n, daysLater: 61))
            ports[n] = try await servers[n].listeningPort()
            try await LocalHTTP(port: ports[n]).waitUntilReady()
            let port = ports[n]
            ready.withLockedValue { _ = $0.insert(port) }
            #expect(served.withLockedValue { $0 } > before, "requests were served while server \(n) drained and restarted")
        }
        // The load goes on until it has made its point, however busy the machine running the test is.
        let deadline = ContinuousClock.now + .seconds(60)
        while served.withLockedValue({ $0 }) <= 20, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        running.withLockedValue { $0 = false }
        await load.value
        await balancer.value
        #expect(failures.withLockedValue { $0 }.isEmpty, "\(failures.withLockedValue { $0 })")
        #expect(served.withLockedValue { $0 } > 20)

        // Each bill's four steps recorded once, and only the newest notice (the final one) sent for each, once.
        try await CrashRecoveryTests.withDatabase(.postgres(url: url), directory: root) { app in
            let sql = app.db.sql
            try await Self.settle(sql, until: "SELECT COUNT(*) AS n FROM notices WHERE kind = 'final_notice' AND sent_ms IS NOT NULL", reaches: 40)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM bill_steps") == 160)
            #expect(try await Self.count(sql, """
                SELECT COUNT(*) AS n FROM (SELECT bill_number FROM bill_steps GROUP BY bill_number
                HAVING COUNT(*) = 4 AND SUM(CASE WHEN step IN ('reminder_1', 'reminder_2', 'make_up', 'final_notice') THEN 1 ELSE 0 END) = 4) b
                """) == 40)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM notices WHERE kind = 'final_notice'") == 40)
            #expect(try await Self.count(sql, "SELECT COUNT(DISTINCT bill_number) AS n FROM notices WHERE kind = 'final_notice' AND sent_ms IS NOT NULL") == 40)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM notices WHERE kind IN ('reminder', 'make_up')") == 0)
        }
        for server in servers {
            server.signal(SIGTERM)
            _ = await server.wait()
        }
        try await TestPostgres.shared.dropDatabase(url: url)
    }
}
