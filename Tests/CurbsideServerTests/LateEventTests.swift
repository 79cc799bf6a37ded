import CurbsideCore
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// Fusion folds on from each bay's tail and, for late events, from spaced
/// checkpoints that late events may invalidate. Checkpoints every few minutes
/// and events held back at random put every path to work at once.
@Suite("Late events and checkpoints", .ownThread)
struct LateEventTests {
    @Test("Events of a road segment sent in small batches, some of them late, fold into exactly the day's sessions", arguments: StoreKind.testCases)
    func lateEvents(kind: StoreKind) async throws {
        let segment = "1003"
        let lines = try SimulatedDay.fixture.eventLines().filter { $0.contains("-\(segment)-") }.map(String.init)
        let expected = try SimulatedDay.expectedSessions().filter { $0.bay.hasPrefix(segment) }
        try #require(lines.count > 3000 && expected.count > 200)

        // One event in eight waits between one and twenty batches.
        var generator = SplitMix64(seed: 3)
        var held: [(due: Int, line: String)] = []
        var batches: [[String]] = []
        for start in stride(from: 0, to: lines.count, by: 50) {
            var batch: [String] = []
            for line in lines[start..<min(start + 50, lines.count)] {
                if generator.chance(0.125) {
                    let wait = 1 + Int(generator.next() % 20)
                    held.append((due: batches.count + wait, line: line))
                } else {
                    batch.append(line)
                }
            }
            batch += held.filter { $0.due <= batches.count }.map(\.line)
            held.removeAll { $0.due <= batches.count }
            batches.append(batch)
        }
        batches.append(held.map(\.line))
        #expect(batches.reduce(0) { $0 + $1.count } == lines.count)

        try await withTestApp(kind, clock: TestClock(SimulatedDay.clockTime), configure: { $0.backgroundJobs = false }) { app in
            var processor = FusionProcessor(store: app.store, database: app.database, rules: app.configuration.ingest.fusion)
            // Tiers of minutes and hours, so that a day's late events refold from each of them and outlive the finer ones.
            processor.checkpoints = CheckpointTiers([
                .init(spacing: 5 * 60_000, window: 30 * 60_000), .init(spacing: 30 * 60_000, window: 2 * 3_600_000),
                .init(spacing: 2 * 3_600_000, window: 86_400_000),
            ])
            let token = try await app.token(.gateway, subject: "gw-late")
            let now = Int64(SimulatedDay.clockTime.timeIntervalSince1970 * 1000)
            for batch in batches where !batch.isEmpty {
                let body = Data(("{\"events\":[" + batch.joined(separator: ",") + "]}").utf8)
                let response = try await app.request(.POST, "/v1/gateway/events", body: body, token: token)
                try #require(response.status == 200, "\(response.text.prefix(300))")
                while try await processor.runOnce(now: now).batches > 0 {}
            }
            var actual: [FusionScenario.Session] = []
            for bay in Set(expected.map(\.bay)).sorted() {
                actual += try await app.sessions(bay: bay)
            }
            actual.sort { ($0.bay, $0.start) < ($1.bay, $1.start) }
            let missing = expected.filter { !actual.contains($0) }
            let unexpected = actual.filter { !expected.contains($0) }
            #expect(missing.isEmpty, "\(missing.count) expected sessions not produced, e.g. \(missing.prefix(3))")
            #expect(unexpected.isEmpty, "\(unexpected.count) sessions not expected, e.g. \(unexpected.prefix(3))")
            let replay = try await Replay(database: app.database).run()
            #expect(replay.differences.isEmpty, "\(replay.differences.prefix(3))")

            // Each bay keeps only the checkpoints its tiers keep: a few per tier, not one per point passed.
            struct Kept: Decodable { var bay_code: String; var at_ms: Int64; var tail_ms: Int64 }
            let kept = try await app.database.sql.raw("""
                SELECT c.bay_code, c.at_ms, t.at_ms AS tail_ms FROM fold_checkpoints c JOIN fold_tails t ON t.bay_code = c.bay_code
                """).all(decoding: Kept.self)
            let perBay = Dictionary(grouping: kept, by: \.bay_code)
            #expect(perBay.count == Set(expected.map(\.bay)).count)
            #expect(kept.allSatisfy { processor.checkpoints.keeps($0.at_ms, tail: $0.tail_ms) }, "\(kept.filter { !processor.checkpoints.keeps($0.at_ms, tail: $0.tail_ms) }.prefix(3))")
            #expect(perBay.values.allSatisfy { $0.count <= 6 + 4 + 12 }, "\(perBay.values.map(\.count).max() ?? 0) checkpoints for one bay")
        }
    }
}
