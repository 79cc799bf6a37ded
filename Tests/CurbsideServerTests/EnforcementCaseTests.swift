import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import Foundation
import Testing

/// A plate's referred bills exported for the traffic police with their evidence.
@Suite("Enforcement cases over HTTP")
struct EnforcementCaseTests {
    @Test("Referred bills group by plate; the export carries the complete ones as JSON and CSV with image digests", arguments: StoreKind.testCases)
    func export(kind: StoreKind) async throws {
        let clock = TestClock(PatrolShiftTests.august)
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false }) { app in
            func day(_ date: String, _ time: String) -> String { "2026-\(date)T\(time):00+08:00" }
            // Two stays with full evidence, one the camera saw arrive only (two images), one weeks later.
            let weak = StayEvents.stay(bay: "10010043", sensor: "GM-1001-004", plate: "粤J10001", from: day("08-01", "12:05"), to: nil, id: "C",
                                       heartbeatsUntil: day("08-01", "12:40"))
                + [["device_id": "GM-1001-004", "event_id": "C-leave", "bay": "10010043", "time": day("08-01", "12:40"), "type": "sensor_change", "occupied": false],
                   ["device_id": "GM-1001-004", "event_id": "C-beat", "bay": "10010043", "time": day("08-01", "12:50"), "type": "heartbeat", "occupied": false]]
            let events = StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J10001", from: day("08-01", "08:00"), to: day("08-01", "10:00"), id: "A")
                + StayEvents.stay(bay: "10010035", sensor: "GM-1001-003", plate: "粤J10001", from: day("08-01", "10:30"), to: day("08-01", "12:00"), id: "B")
                + weak
            #expect(try await app.ingest(events).status == 200)
            try await app.fuse()
            clock.advance(by: 11 * 60)
            #expect(try await app.bill().issued == 3)
            clock.now = Date(timeIntervalSince1970: 1_787_554_800)  // 2026-08-24 13:00 +08
            #expect(try await app.ingest(StayEvents.stay(bay: "10010051", sensor: "GM-1001-005", plate: "粤J10001", from: day("08-24", "08:00"), to: day("08-24", "10:00"), id: "D")).status == 200)
            try await app.fuse()
            clock.advance(by: 11 * 60)
            #expect(try await app.bill().issued == 1)

            let run = CurbsideApp.arrearsRun(app.database, app.configuration, store: app.store)
            clock.now = BillingFlowTests.noon
            #expect(try await run.runOnce(now: Int64(clock.now.timeIntervalSince1970 * 1000)).referred == 3)
            let cases = try #require(try await app.get("/v1/admin/enforcement-cases", as: .finance).json["items"] as? [[String: Any]])
            #expect(cases.count == 1 && (cases[0]["bills"] as! [Any]).count == 3)
            let id = cases[0]["id"] as! String
            let owed = cases[0]["owed_fen"] as! Int

            #expect(try await app.request(.POST, "/v1/admin/enforcement-cases/\(id)/export", as: .auditor).status == 403)
            let export = try await app.request(.POST, "/v1/admin/enforcement-cases/\(id)/export", as: .operator)
            #expect(export.status == 200)
            let exported = try #require(export.json["bills"] as? [[String: Any]])
            let held = try #require(export.json["held_back"] as? [[String: Any]])
            #expect(exported.count == 2 && exported.allSatisfy { ($0["image_sha256"] as! [String]).count == 4 })
            let weakBill = try #require(held.first)
            #expect(held.count == 1 && weakBill["evidence_problems"] as? [String] == ["fewer than 3 images (2)"])
            #expect(exported.map { $0["amount_fen"] as! Int }.reduce(0, +) + (weakBill["amount_fen"] as! Int) == owed)
            let csv = try #require(export.json["csv"] as? String)
            let lines = csv.split(separator: "\n")
            #expect(lines.count == 3 && lines[0].hasPrefix("case_id,plate,plate_colour,bill_number"))
            #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("\(id),粤J10001,blue,") && $0.split(separator: ";").count == 4 })
            #expect((export.json["case"] as? [String: Any])?["status"] as? String == "exported")
            let audit = try await app.get("/v1/admin/audit-log?subject=\(id)", as: .auditor).json["items"] as! [[String: Any]]
            #expect((audit.first?["detail"] as? [String: String])?["csv_sha256"] == export.json["csv_sha256"] as? String)

            // The late bill's referral opens a new case: the exported one is closed to additions.
            clock.advance(by: 5 * 86_400)
            #expect(try await run.runOnce(now: Int64(clock.now.timeIntervalSince1970 * 1000)).referred == 1)
            let after = try await app.get("/v1/admin/enforcement-cases", as: .finance).json["items"] as! [[String: Any]]
            #expect(after.map { $0["status"] as! String } == ["exported", "open"])
        }
    }
}
