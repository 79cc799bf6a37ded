import CurbsideCore
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing

/// The report's stays and occupied time come from sums fusion keeps as it
/// writes sessions (`StayRollups`); they must say what reading every stay
/// says, whatever refolds change, take back or void, when a bay gains or
/// loses its camera, at any moment of a day (open stays and a quarter-hour
/// begun), before and after the job folds the deltas in, and as a rebuild
/// from the sessions finds them.
@Suite("Report stay sums", .ownThread)
struct StaySumsTests {
    @Test("Stays' sums follow refolds, voids and a camera's changes, and equal every stay at any moment", arguments: StoreKind.testCases)
    func followChanges(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(FusionScenario.clockTime), configure: { $0.backgroundJobs = false }) { app in
            let contract = try #require(try app.configuration.concessionContract())
            let clock = try #require(ZoneClock(identifier: contract.timeZone))
            let sums = ReportQueries(store: app.store, database: app.database)
            var everyStay = sums
            everyStay.useRollups = false
            let day = LocalDate("2026-11-20")!
            let dayStart = clock.utc(fromLocal: Int64(day.dayNumber) * 86_400) * 1000
            // Moments of the day: before any stay, a quarter-hour begun (stays open then and closed since), its end, the next day.
            let moments: [Int64] = [dayStart + 3_600_000, dayStart + 10 * 3_600_000 + 7 * 60_000 + 13_000, dayStart + 13 * 3_600_000, dayStart + 86_400_000 + 1]
            func same(_ step: String) async throws {
                for period in [ReportPeriod.day(day), .month(ReportMonth("2026-11")!)] {
                    let yearStart = clock.utc(fromLocal: Int64(contract.yearStart(of: period.month).firstDay.dayNumber) * 86_400) * 1000
                    for now in moments {
                        let fromSums = try await sums.facts(period: period, clock: clock, yearStart: yearStart, now: now)
                        let fromStays = try await everyStay.facts(period: period, clock: clock, yearStart: yearStart, now: now)
                        #expect(fromSums == fromStays, "\(step), \(period), now \(now)")
                    }
                }
            }

            try await app.ingest(BillingFlowTests.stays())
            let scenario = try FusionScenario.load("missed-departure")
            try await app.ingest(scenario.events)
            try await app.fuse()
            let sql = app.database.sql
            struct Count: Decodable { var n: Int }
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM occupied_quarter_deltas").first(decoding: Count.self)?.n ?? 0 > 10)
            let facts = try await sums.facts(period: .day(day), clock: clock, yearStart: 0, now: moments[2])
            #expect(facts.zones.values.reduce(0) { $0 + $1.sessions } >= 8 && facts.occupancy.occupied.values.contains { $0.contains { $0 > 0 } })
            try await same("folded")

            // A late departure shortens a billed stay; a late flap voids it; the refolds also remove and write unbilled stays.
            try await sql.raw("UPDATE parking_sessions SET billed_ms = 1795147000000 WHERE bay_code = '10010019'").run()
            try await app.ingest([["device_id": "GM-1001-001", "event_id": "late-departure", "time": "2026-11-20T10:40:00+08:00", "type": "sensor_change", "occupied": false]])
            try await app.fuse()
            try await same("shortened")
            try await ReportRollups(store: app.store, database: app.database).consolidate(limit: 3)
            try await StayRollups(store: app.store, database: app.database).consolidate(limit: 3)
            try await app.ingest([["device_id": "GM-1001-001", "event_id": "late-free", "time": "2026-11-20T10:00:30+08:00", "type": "sensor_change", "occupied": false]])
            try await app.fuse()
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM parking_sessions WHERE status = 'void'").first(decoding: Count.self)?.n == 1)
            try await same("voided, half folded in")

            // The bay loses its camera, then gets it back.
            let registry = Registry(store: app.store, database: app.database)
            let bay = try #require(try await registry.bay(try BayCode(parsing: "10010019")))
            let camera = try #require(bay.spec.cameraID)
            var spec = bay.spec
            spec.cameraID = nil
            let without = try await registry.updateBay(spec, expectedRevision: bay.revision, by: .system)
            try await same("camera removed")
            spec.cameraID = camera
            _ = try await registry.updateBay(spec, expectedRevision: without.revision, by: .system)
            try await same("camera back")

            let rollups = StayRollups(store: app.store, database: app.database)
            while try await rollups.consolidate(limit: 5) > 0 {}
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM occupied_quarter_deltas").first(decoding: Count.self)?.n == 0)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM stay_day_deltas").first(decoding: Count.self)?.n == 0)
            try await same("folded in")

            // What fusion kept is what a rebuild from the sessions finds.
            struct Quarter: Decodable, Hashable { var zone_id: String; var quarter: Int64; var ms: Int64 }
            struct Day: Decodable, Hashable { var day: Int; var zone_id: String; var camera: Int; var stays: Int64; var reads: Int64 }
            func kept() async throws -> (Set<Quarter>, Set<Day>) {
                (
                    Set(try await sql.raw("SELECT zone_id, quarter, ms FROM occupied_quarters WHERE ms <> 0").all(decoding: Quarter.self)),
                    Set(try await sql.raw("SELECT day, zone_id, camera, stays, reads FROM stay_days WHERE stays <> 0 OR reads <> 0").all(decoding: Day.self))
                )
            }
            let incremental = try await kept()
            try await StayRollups.rebuild(on: sql)
            let rebuilt = try await kept()
            #expect(incremental == rebuilt && !rebuilt.0.isEmpty && rebuilt.1.contains { $0.camera == 1 && $0.reads > 0 })

            // The sums are what the report reads: a minute more in one quarter-hour, or one stay more, shows.
            let quarter = try #require(rebuilt.0.first { $0.quarter * 900_000 < moments[2] && $0.quarter * 900_000 >= dayStart })
            try await sql.raw("UPDATE occupied_quarters SET ms = ms + 60000 WHERE zone_id = \(bind: quarter.zone_id) AND quarter = \(bind: quarter.quarter)").run()
            let period = ReportPeriod.day(day)
            #expect(try await sums.facts(period: period, clock: clock, yearStart: 0, now: moments[2]).occupancy
                != everyStay.facts(period: period, clock: clock, yearStart: 0, now: moments[2]).occupancy)
            try await sql.raw("UPDATE occupied_quarters SET ms = ms - 60000 WHERE zone_id = \(bind: quarter.zone_id) AND quarter = \(bind: quarter.quarter)").run()
            try await sql.raw("UPDATE stay_days SET stays = stays + 1 WHERE day = \(bind: Int32(day.dayNumber))").run()
            #expect(try await sums.facts(period: period, clock: clock, yearStart: 0, now: moments[2]).zones
                != everyStay.facts(period: period, clock: clock, yearStart: 0, now: moments[2]).zones)
        }
    }
}
