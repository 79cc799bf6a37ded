import AsyncHTTPClient
import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import NIOCore
import Testing

/// A plate owing overdue arrears parks again: the officer on that beat is
/// told, by polling and by server-sent events; others are not.
@Suite("Repeat-offender alerts over HTTP", .ownThread)
struct AlertTests {
    @Test("A repeat offender parking on the beat alerts its officer once, polled and pushed", arguments: StoreKind.testCases)
    func alert(kind: StoreKind) async throws {
        let clock = TestClock(PatrolShiftTests.august)
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false }) { app in
            #expect(try await app.ingest(StayEvents.stay(bay: "10010043", sensor: "GM-1001-004", plate: "粤J10001", from: "2026-08-01T08:00:00+08:00", to: "2026-08-01T12:00:00+08:00", id: "old")).status == 200)
            try await app.fuse()
            clock.advance(by: 11 * 60)
            #expect(try await app.bill().issued == 1)
            clock.now = BillingFlowTests.noon
            func now() -> Int64 { Int64(clock.now.timeIntervalSince1970 * 1000) }
            #expect(try await CurbsideApp.arrearsRun(app.database, app.configuration, store: app.store).runOnce(now: now()).steps["overdue"] == 1)
            let owed = try await app.client(as: .finance).findBills(query: .init(plate: "粤J10001", colour: .blue, reason: "test")).ok.body.json.totalDueFen
            let officer = try await app.openShift(officer: "wang.fang")

            // The officer follows the stream before anything happens.
            var request = HTTPClientRequest(url: app.baseURL + "/v1/patrol/alerts/stream")
            request.headers.add(name: "Authorization", value: "Bearer \(officer)")
            let stream = try await HTTPClient.shared.execute(request, timeout: Loopback.deadline)
            #expect(stream.status == .ok && stream.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true)

            func at(_ time: String) -> String { "2026-11-20T\(time):00+08:00" }
            let parked = StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J10001", from: at("19:30"), to: nil, id: "again", heartbeatsUntil: at("19:55"))
                + StayEvents.stay(bay: "10010035", sensor: "GM-1001-003", plate: "粤J20002", from: at("19:30"), to: nil, id: "clean", heartbeatsUntil: at("19:55"))
                + StayEvents.stay(bay: "10020014", sensor: "GM-1002-001", plate: "粤J10001", from: "2026-11-19T12:00:00+08:00", to: "2026-11-19T13:00:00+08:00", id: "elsewhere")
            #expect(try await app.ingest(parked).status == 200)
            try await app.fuse()
            let alerts = Alerts(store: app.store, database: app.database, threshold: min(owed, app.configuration.patrol.alertArrearsFen))
            #expect(try await alerts.runOnce(now: now()) == 1)
            #expect(try await alerts.runOnce(now: now()) == 0)

            let handheld = try await app.client(token: officer)
            let polled = try await handheld.listMyAlerts().ok.body.json.items
            let first = try #require(polled.first)
            #expect(polled.count == 1 && first.plate == "粤J10001" && first.bay == "10010027")
            #expect(first.arrearsFen == owed)
            let id = first.id

            let pushed = try await FirstOfTest.run(
                {
                    var text = ""
                    for try await chunk in stream.body {
                        text += String(buffer: chunk)
                        if text.contains("event: alert\ndata: ") && text.hasSuffix("\n\n") { return text }
                    }
                    return text
                },
                orAfter: .seconds(20)
            )
            #expect(pushed?.contains("id: \(id)\nevent: alert\ndata: {") == true)
            #expect(pushed?.contains("\"plate\":\"粤J10001\"") == true)

            _ = try await handheld.acknowledgeAlert(path: .init(alertId: id)).noContent
            _ = try await handheld.acknowledgeAlert(path: .init(alertId: id + 100)).notFound
            let other = try await app.client(token: try await app.openShift(officer: "zhao.lei", beat: "B2", segments: ["1002"]))
            #expect(try await other.listMyAlerts().ok.body.json.items.isEmpty)
            let all = try await app.client(as: .auditor).listAlerts().ok.body.json.items
            #expect(all.count == 1 && all.first?.acknowledgedBy == "patrol:wang.fang")
        }
    }
}

/// Waits for `body`, or gives up after `timeout` with nil.
enum FirstOfTest {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T, orAfter timeout: Duration) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask { try await Task.sleep(for: timeout); return nil }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
