import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// Notices paced for their recipients: none at night, at most so many a day
/// to one recipient, the rest in the morning.
@Suite("Notices paced", .ownThread)
struct NoticePacingTests {
    @Test("Nothing goes in the quiet hours; in the morning each recipient gets the day's limit and the rest the next morning", arguments: StoreKind.testCases)
    func paced(kind: StoreKind) async throws {
        let directory = NSTemporaryDirectory() + "curbside-paced-\(UUID().uuidString)"
        try await withTestApp(kind, clock: TestClock(try Date(rfc3339: "2026-11-20T12:00:00Z")), configure: { configuration in
            configuration.backgroundJobs = false
            configuration.notices = .directory(directory)
            configuration.pacing = NoticePacing(quietHours: QuietHours(start: 20, end: 8), dailyLimit: 1)
        }) { app in
            func at(_ time: String) -> String { "2026-11-20T\(time):00+08:00" }
            let events = StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: at("08:00"), to: at("10:00"), id: "A")
                + StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: at("11:00"), to: at("13:00"), id: "B")
                + StayEvents.stay(bay: "10010043", sensor: "GM-1001-004", plate: "粤J33333", from: at("09:00"), to: at("11:00"), id: "C")
            #expect(try await app.ingest(events).status == 200)
            try await app.fuse()
            app.clock.advance(by: 11 * 60)
            #expect(try await app.bill().issued == 3)
            // 20:11 in China: quiet.
            #expect(try await app.dispatchNotices() == 0)
            func files() throws -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".txt") } }
            #expect(try files().isEmpty)
            // 08:00 the next morning: one each; 粤J5K321's second waits for the morning after.
            app.clock.now = (try Date(rfc3339: "2026-11-21T08:00:00+08:00"))
            #expect(try await app.dispatchNotices() == 2)
            #expect(try await app.dispatchNotices() == 0)
            app.clock.now = (try Date(rfc3339: "2026-11-22T07:59:00+08:00"))
            #expect(try await app.dispatchNotices() == 0)
            app.clock.now = (try Date(rfc3339: "2026-11-22T08:00:00+08:00"))
            #expect(try await app.dispatchNotices() == 1)
            #expect(try files().count == 3)
        }
    }
}
