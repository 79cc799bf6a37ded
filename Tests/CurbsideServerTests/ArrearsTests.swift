import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// Bills moving along the arrears ladder as days pass, once each however many servers run the job.
@Suite("Arrears ladder over the store", .ownThread)
struct ArrearsTests {
    @Test("Reminders, make-up, final notice, overdue and referral, each once; paid bills drop out", arguments: StoreKind.testCases)
    func ladder(kind: StoreKind) async throws {
        let clock = TestClock(PatrolShiftTests.august)
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false }) { app in
            let plates = ["粤J10001", "粤J10002", "粤J10003"]
            let bays = [("10010027", "GM-1001-002"), ("10010035", "GM-1001-003"), ("10010043", "GM-1001-004")]
            let events = zip(plates, bays).flatMap { plate, bay in
                StayEvents.stay(bay: bay.0, sensor: bay.1, plate: plate, from: "2026-08-01T08:00:00+08:00", to: "2026-08-01T10:00:00+08:00", id: plate)
            }
            #expect(try await app.ingest(events).status == 200)
            try await app.fuse()
            clock.advance(by: 11 * 60)
            #expect(try await app.bill().issued == 3)
            let run = CurbsideApp.arrearsRun(app.database, app.configuration, store: app.store)
            func now() -> Int64 { Int64(clock.now.timeIntervalSince1970 * 1000) }

            clock.advance(by: 8 * 86_400)
            let first = try await run.runOnce(now: now())
            #expect(first.steps == ["reminder_1": 3] && first.notices == 3)
            #expect(try await run.runOnce(now: now()).examined == 0)

            let finance = try await app.client(as: .finance)
            let summer = Operations.ListBills.Input.Query(from: try Date(rfc3339: "2026-07-01T00:00:00Z"), until: try Date(rfc3339: "2026-09-01T00:00:00Z"))
            let bills = try await finance.listBills(query: summer).ok.body.json.items
            let paid = try #require(bills.first { $0.plate == "粤J10003" }?.number)
            _ = try await finance.createPayment(body: .json(.init(channel: .cash, bills: [paid]))).created

            // Months later, four servers run the job at once.
            clock.now = BillingFlowTests.noon
            let rounds = try await withThrowingTaskGroup(of: ArrearsRun.Round.self) { group in
                for _ in 0..<4 { group.addTask { try await run.runOnce(now: now()) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let steps = rounds.reduce(into: [String: Int]()) { $0.merge($1.steps, uniquingKeysWith: +) }
            #expect(steps == ["reminder_2": 2, "make_up": 2, "final_notice": 2, "overdue": 2, "referred": 2])
            #expect(rounds.map(\.notices).reduce(0, +) == 2 && rounds.map(\.referred).reduce(0, +) == 2)
            let after = try await finance.listBills(query: summer).ok.body.json.items
            #expect(Dictionary(uniqueKeysWithValues: after.map { ($0.plate, $0.arrearsStage?.rawValue ?? "") })
                == ["粤J10001": "referred", "粤J10002": "referred", "粤J10003": "payment_window"])
            let unpaid = try #require(after.first { $0.plate == "粤J10001" }?.number)
            // After the pause only the newest step speaks: the referral, in the words of its text file.
            #expect(try await app.dispatchNotices() == 8)
            let notices = try await app.billDetail(unpaid).value2.notices
            #expect(notices.map(\.kind) == [.billIssued, .reminder, .referral])
            #expect(notices.last?.text.hasPrefix("【路侧停车】粤J10001 2026-08-01 停车费") == true && notices.last?.text.contains("已移交执法部门处理") == true)
            #expect(notices.allSatisfy { $0.delivery == .sent && $0.channel == "log" })
        }
    }
}
