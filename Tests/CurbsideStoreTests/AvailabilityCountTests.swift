import CurbsideCore
import CurbsideStore
import CurbsideStoreTestSupport
import CurbsideTestThreads
import FluentKit
import Foundation
import SQLKit
import Testing

@Suite("Availability counts", .ownThread)
struct AvailabilityCountTests {
    /// What a bay's detector last said and when: no report, a fresh one, or a stale one whose device may still be heard from.
    enum Report: CaseIterable {
        case none, occupiedFresh, freeFresh, occupiedStaleDeviceHeard, freeStaleDeviceQuiet, occupiedStaleNoDevice, freeFreshDeviceQuiet

        var known: Bool? {
            switch self {
            case .occupiedFresh, .occupiedStaleDeviceHeard: true
            case .freeFresh, .freeFreshDeviceQuiet: false
            case .none, .freeStaleDeviceQuiet, .occupiedStaleNoDevice: nil
            }
        }
    }

    @Test("The database's counts per zone and segment match each bay counted one by one", arguments: StoreKind.testCases)
    func countsMatchBays(kind: StoreKind) async throws {
        try await TestStores.with(kind) { test in
            let sql = test.database.sql
            let now = Date()
            let at = now.milliseconds
            let (fresh, stale) = (at - Milliseconds.minute, at - Milliseconds.hour)
            try await sql.raw("UPDATE road_segments SET lifecycle = 'retired' WHERE id = '1002'").run()
            let bays = try await BayModel.query(on: test.database).sort(\.$id).all()
            var reports: [String: Report] = [:]
            for (index, bay) in bays.enumerated() {
                let code = try #require(bay.id)
                if index % 5 == 0 { bay.kind = "ev_charging" }
                if index % 37 == 0 { bay.lifecycle = Lifecycle.retired.rawValue }
                switch index % 41 {
                case 1: (bay.suspendedFrom, bay.suspendedUntil) = (now.addingTimeInterval(-3_600), nil)
                case 2: (bay.suspendedFrom, bay.suspendedUntil) = (now.addingTimeInterval(-172_800), now.addingTimeInterval(-86_400))
                case 3: (bay.suspendedFrom, bay.suspendedUntil) = (now.addingTimeInterval(3_600), now.addingTimeInterval(7_200))
                default: break
                }
                if bay.suspendedFrom != nil { bay.suspensionReason = "works" }
                try await bay.save(on: test.database)
                let report = Report.allCases[index % Report.allCases.count]
                reports[code] = report
                let device = "T-\(code)"
                let (occupied, updated, heard): (Bool, Int64, Int64?) = switch report {
                case .none: (false, 0, nil)
                case .occupiedFresh: (true, fresh, fresh)
                case .freeFresh: (false, fresh, fresh)
                case .occupiedStaleDeviceHeard: (true, stale, fresh)
                case .freeStaleDeviceQuiet: (false, stale, stale)
                case .occupiedStaleNoDevice: (true, stale, nil)
                case .freeFreshDeviceQuiet: (false, fresh, stale)
                }
                guard report != .none else { continue }
                try await sql.raw("""
                    INSERT INTO bay_occupancy (bay_code, zone_id, occupied, state_ms, device_id, updated_ms)
                    VALUES (\(bind: code), \(bind: bay.zoneID), \(bind: occupied), \(bind: updated), \(bind: device), \(bind: updated))
                    """).run()
                if let heard {
                    try await sql.raw("""
                        INSERT INTO devices (device_id, kind, gateway_id, first_seen_ms, last_seen_ms, last_event_ms, online, comms_changed_ms)
                        VALUES (\(bind: device), 'geomagnetic', 'gw-test', \(bind: heard), \(bind: heard), \(bind: heard), true, \(bind: heard))
                        """).run()
                }
            }

            // Each open bay of an active segment counted one by one, as the API describes its counts.
            var expected: [String: [String: Availability]] = [:]
            for bay in bays where bay.lifecycle == Lifecycle.active.rawValue && bay.segmentID != "1002" {
                let suspension = bay.suspendedFrom.map { Suspension(reason: "works", from: $0, until: bay.suspendedUntil) }
                guard EffectiveStatus.at(now, lifecycle: .active, suspension: suspension) == .active else { continue }
                let known = reports[bay.id!]!.known
                let ev = bay.kind == "ev_charging"
                var counts = expected[bay.zoneID, default: [:]][bay.segmentID, default: Availability()]
                counts.total += 1
                if ev { counts.evTotal += 1 }
                if let known {
                    counts.occupied = (counts.occupied ?? 0) + (known ? 1 : 0)
                    counts.free = (counts.free ?? 0) + (known ? 0 : 1)
                    if ev { counts.evFree = (counts.evFree ?? 0) + (known ? 0 : 1) }
                } else {
                    counts.unknown += 1
                }
                expected[bay.zoneID, default: [:]][bay.segmentID] = counts
            }

            let zones = try await test.registry.availability(at: now, freshness: 15 * Milliseconds.minute)
            #expect(zones.map(\.zone.spec.id) == ["SP1", "SP2", "SP3"])
            var checkedBays = 0
            for zone in zones {
                let segments = expected[zone.zone.spec.id] ?? [:]
                #expect(!zone.segments.contains { $0.segment.spec.id == "1002" }, "a retired segment is not listed")
                for (segment, counts) in zone.segments {
                    #expect(counts == segments[segment.spec.id] ?? Availability(), "segment \(segment.spec.id)")
                    checkedBays += counts.total
                }
                var total = Availability()
                for counts in segments.values { total.add(counts) }
                #expect(zone.availability == total, "zone \(zone.zone.spec.id)")
            }
            // The mix reached every case: bays counted, some known each way, some EV, some unknown, some left out.
            let all = zones.reduce(into: Availability()) { $0.add($1.availability) }
            #expect(checkedBays == all.total && all.total > 600 && all.total < 800)
            #expect((all.occupied ?? 0) > 0 && (all.free ?? 0) > 0 && (all.evFree ?? 0) > 0 && all.unknown > 0 && all.evTotal > 0)

            // One zone on its own, without its segments, counts the same.
            let sp2 = try #require(try await test.registry.availability(zoneID: "SP2", at: now, freshness: 15 * Milliseconds.minute, withSegments: false).first)
            #expect(sp2.segments.isEmpty && sp2.availability == zones[1].availability)
        }
    }
}
