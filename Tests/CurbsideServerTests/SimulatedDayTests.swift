import CurbsideAPI
import CurbsideCore
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// A whole day of the sample district through the gateway API: every bay,
/// detectors and cameras, with flapping, duplicates, late gateways, missed
/// departures, swapped cars, misreads, outages and blind devices mixed in.
@Suite("Simulated day", .ownThread)
struct SimulatedDayTests {
    @Test("A day of every bay folds into exactly the sessions it must", arguments: StoreKind.testCases)
    func sampleDistrict(kind: StoreKind) async throws {
        let expected = try SimulatedDay.expectedSessions()
        let batches = try SimulatedDay.batches(size: 2000)
        try await withTestApp(kind, clock: TestClock(SimulatedDay.clockTime), configure: { $0.backgroundJobs = false }) { app in
            let token = try await app.token(.gateway, subject: "gw-day")
            var accepted = 0, duplicates = 0
            for (index, batch) in batches.enumerated() {
                let response = try await app.request(.POST, "/v1/gateway/events", body: batch, token: token)
                try #require(response.status == 200, "batch \(index): \(response.text.prefix(300))")
                #expect((response.json["rejected"] as? [Any])?.isEmpty == true, "batch \(index): \(response.text.prefix(300))")
                accepted += response.json["accepted"] as? Int ?? 0
                duplicates += response.json["duplicates"] as? Int ?? 0
                // Fold as the day goes, so late events refold from checkpoints as they would live.
                if index % 5 == 4 { try await app.fuse() }
            }
            try await app.fuse()
            #expect(accepted + duplicates == batches.reduce(0) { $0 + (String(decoding: $1, as: UTF8.self).components(separatedBy: "\"event_id\"").count - 1) })
            #expect(duplicates > 0)

            var actual: [FusionScenario.Session] = []
            var after: String?
            let auditor = try await app.client(as: .auditor)
            repeat {
                let page = try await auditor.listSessions(query: .init(after: after, limit: 1000)).ok.body.json
                actual += page.items.filter { $0.status != .void }.map(FusionScenario.session)
                after = page.nextAfter
            } while after != nil
            actual.sort { ($0.bay, $0.start) < ($1.bay, $1.start) }

            #expect(actual.count == expected.count)
            let missing = expected.filter { !actual.contains($0) }
            let unexpected = actual.filter { !expected.contains($0) }
            #expect(missing.isEmpty, "\(missing.count) expected sessions not produced, e.g. \(missing.prefix(5))")
            #expect(unexpected.isEmpty, "\(unexpected.count) sessions not expected, e.g. \(unexpected.prefix(5))")
        }
    }
}
