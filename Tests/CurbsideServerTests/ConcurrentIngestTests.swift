import CurbsideCore
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing

@Suite("Concurrent ingestion", .ownThread)
struct ConcurrentIngestTests {
    /// Gateways re-sending overlap: several batches holding the same events,
    /// in different orders, arrive at once. On PostgreSQL they write in
    /// parallel; none may fail, and each event is stored once.
    @Test("Batches sharing events, sent at once in different orders, all succeed and store each event once", arguments: StoreKind.testCases)
    func overlapping(kind: StoreKind) async throws {
        let lines = try Array(SimulatedDay.fixture.eventLines().prefix(3000))
        let distinct = Set(lines).count
        try await withTestApp(kind, clock: TestClock(SimulatedDay.clockTime), configure: { $0.backgroundJobs = false }) { app in
            let token = try await app.token(.gateway, subject: "gw-overlap")
            let bodies = (0..<6).map { round in
                // Each batch: a different two thirds of the events, in its own order.
                var random = SplitMix64(seed: UInt64(round + 1))
                let chosen = lines.enumerated().filter { ($0.offset + round) % 3 != 0 }.map(\.element).shuffled(using: &random)
                return Data(("{\"events\":[" + chosen.joined(separator: ",") + "]}").utf8)
            }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for body in bodies {
                    group.addTask { try await app.request(.POST, "/v1/gateway/events", body: body, token: token).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: bodies.count))
            struct Count: Decodable { var n: Int }
            let stored = try await app.database.sql.raw("SELECT COUNT(*) AS n FROM device_events").first(decoding: Count.self)?.n
            #expect(stored == distinct)
        }
    }
}
