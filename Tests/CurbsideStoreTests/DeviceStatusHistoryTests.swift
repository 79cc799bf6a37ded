import CurbsideCore
import CurbsideStore
import CurbsideStoreTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing

@Suite("Device comms history", .ownThread)
struct DeviceStatusHistoryTests {
    @Test("A window starts from each device's last record before it and takes only the records within", arguments: StoreKind.testCases)
    func windows(kind: StoreKind) async throws {
        try await TestStores.with(kind, content: .empty) { test in
            let sql = test.database.sql
            let window: Range<Int64> = 10_000..<20_000
            let devices: [(id: String, firstSeen: Int64, records: [(String, Int64)])] = [
                // Lost and back twice long before, lost again just before: out of contact as the window opens; back within, lost after.
                ("GM-A", 0, [("comms_lost", 1_000), ("comms_restored", 2_000), ("comms_lost", 3_000), ("comms_restored", 4_000), ("comms_lost", 9_999),
                             ("comms_restored", 15_000), ("comms_lost", 25_000)]),
                // Back before the window: in contact as it opens; lost within.
                ("GM-B", 0, [("comms_lost", 500), ("comms_restored", 700), ("comms_lost", 12_000)]),
                // Nothing before, lost at the window's first instant, nothing at its end.
                ("GM-C", 5_000, [("comms_lost", 10_000), ("comms_restored", 20_000)]),
                // Lost before, nothing since: out of contact throughout.
                ("GM-D", 0, [("comms_lost", 8_000)]),
                // First seen after the window: not in it, though its records are.
                ("GM-E", 20_000, [("comms_lost", 21_000)]),
                // Never lost: no record at all.
                ("GM-F", 0, []),
            ]
            for device in devices {
                try await sql.raw("""
                    INSERT INTO devices (device_id, kind, gateway_id, first_seen_ms, last_seen_ms, last_event_ms, online, comms_changed_ms)
                    VALUES (\(bind: device.id), 'geomagnetic', 'gw-test', \(bind: device.firstSeen), 0, 0, true, 0)
                    """).run()
                // Written newest first, so the answer's order comes from the times, not the ids.
                for (kind, at) in device.records.reversed() {
                    try await sql.raw("INSERT INTO device_status_events (device_id, kind, at_ms) VALUES (\(bind: device.id), \(bind: kind), \(bind: at))").run()
                }
            }
            let windows = try await DeviceStatusHistory.windows(for: window, on: sql)
            #expect(windows == [
                "GM-A": .init(lostAtStart: true, changes: [.restored(15_000)]),
                "GM-B": .init(lostAtStart: false, changes: [.lost(12_000)]),
                "GM-C": .init(lostAtStart: false, changes: [.lost(10_000)]),
                "GM-D": .init(lostAtStart: true, changes: []),
            ])
        }
    }
}
