import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// The CDS 1.1 Events API over HTTP: a stay's park_start and park_end and a
/// detector's comms_lost, in the hours they happened, checked against the
/// published CDS schemas; plates are not published.
@Suite("CDS Events API", .ownThread)
struct CDSEventsTests {
    static let events = RepositoryPaths.fixtures + "/cds/APIs/Events API.yaml"
    static let schema = "#/paths/~1events~1events/get/responses/200/content/application~1json/schema"
    static let accept = [("Accept", "application/vnd.cds+json; version=1.1")]

    @Test("A stay's start and end and a detector going silent appear in their UTC hours and conform", arguments: StoreKind.testCases)
    func events(kind: StoreKind) async throws {
        let clock = TestClock(BillingFlowTests.noon)
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false }) { app in
            // 10:00 to 11:00 in Heshan is 02:00 to 03:00 UTC.
            #expect(try await app.ingest(StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: "2026-11-20T10:00:00+08:00",
                                                         to: "2026-11-20T11:00:00+08:00", id: "E")).status == 200)
            try await app.fuse()
            var validator = JSONSchemaValidator()
            func hour(_ name: String) async throws -> [[String: Any]] {
                let response = try await app.request(.GET, "/cds/events/events?event_time=\(name)", as: .auditor, headers: Self.accept)
                #expect(response.status == 200, "\(response.text.prefix(300))")
                let problems = try validator.problems(response.body, file: Self.events, pointer: Self.schema)
                #expect(problems.isEmpty, "\(name): \(problems.prefix(5))")
                return (response.json["data"] as? [String: Any])?["events"] as? [[String: Any]] ?? []
            }
            let starts = try await hour("2026-11-20T02")
            let ends = try await hour("2026-11-20T03")
            #expect(starts.map { $0["event_type"] as? String } == ["park_start"])
            #expect(ends.map { $0["event_type"] as? String } == ["park_end"])
            let start = try #require(starts.first), end = try #require(ends.first)
            #expect(start["event_session_id"] as? String == end["event_session_id"] as? String && start["event_session_id"] != nil)
            #expect(start["data_source_type"] as? String == "camera" && start["data_source_device_name"] as? String == "HV-1001-A")
            #expect(start["event_time"] as? Int == 1_795_140_000_000)
            #expect(start["curb_space_id"] as? String == end["curb_space_id"] as? String)
            #expect(!String(decoding: try JSONSerialization.data(withJSONObject: start), as: UTF8.self).contains("粤J5K321"))
            #expect(try await hour("2026-11-20T04").isEmpty)

            // Nothing heard from the detector for the offline time: comms_lost in the last hour.
            clock.advance(by: 3600)
            let lost = try await DeviceRegistry(store: app.store, database: app.database)
                .markOffline(offlineAfter: app.configuration.ingest.deviceOfflineAfter, now: Int64(clock.now.timeIntervalSince1970 * 1000))
            #expect(lost.contains("GM-1001-002"))
            let recent = try await app.request(.GET, "/cds/events/events", as: .auditor, headers: Self.accept)
            let recentProblems = try validator.problems(recent.body, file: Self.events, pointer: Self.schema)
            #expect(recentProblems.isEmpty, "\(recentProblems.prefix(5))")
            let silent = ((recent.json["data"] as? [String: Any])?["events"] as? [[String: Any]] ?? []).filter { $0["data_source_device_name"] as? String == "GM-1001-002" }
            #expect(silent.map { $0["event_type"] as? String } == ["comms_lost"] && silent.first?["data_source_type"] as? String == "in_ground")

            #expect(try await app.request(.GET, "/cds/events/events", as: .patrol, headers: Self.accept).status == 403)
            #expect(try await app.request(.GET, "/cds/events/events?event_time=2026-11-20", as: .auditor, headers: Self.accept).errorCode == "invalid_event_time")
        }
    }
}
