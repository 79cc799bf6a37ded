import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// A plate's referred bills exported for the traffic police with their evidence.
@Suite("Enforcement cases over HTTP", .ownThread)
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
            let finance = try await app.client(as: .finance)
            let cases = try await finance.listEnforcementCases().ok.body.json.items
            #expect(cases.count == 1 && cases.first?.bills.count == 3)
            let id = try #require(cases.first?.id)
            let owed = try #require(cases.first?.owedFen)

            _ = try await app.client(as: .auditor).exportEnforcementCase(path: .init(caseId: id)).forbidden
            let export = try await app.client(as: .operator).exportEnforcementCase(path: .init(caseId: id)).ok.body.json
            #expect(export.bills.count == 2 && export.bills.allSatisfy { $0.imageSha256.count == 4 })
            let weakBill = try #require(export.heldBack.first)
            #expect(export.heldBack.count == 1 && weakBill.evidenceProblems == ["fewer than 3 images (2)"])
            #expect(export.bills.map(\.amountFen).reduce(0, +) + weakBill.amountFen == owed)
            let lines = export.csv.split(separator: "\n")
            #expect(lines.count == 3 && lines[0].hasPrefix("case_id,plate,plate_colour,bill_number"))
            #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("\(id),粤J10001,blue,") && $0.split(separator: ";").count == 4 })
            #expect(export._case.status == .exported)
            let audit = try await app.client(as: .auditor).listAuditLog(query: .init(subject: id)).ok.body.json.items
            #expect(audit.first?.detail.additionalProperties["csv_sha256"] == export.csvSha256)

            // The late bill's referral opens a new case: the exported one is closed to additions.
            clock.advance(by: 5 * 86_400)
            #expect(try await run.runOnce(now: Int64(clock.now.timeIntervalSince1970 * 1000)).referred == 1)
            #expect(try await finance.listEnforcementCases().ok.body.json.items.map(\.status) == [.exported, .open])
        }
    }
}
