import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing

/// Device events by month on PostgreSQL (`MonthlyPartitions`, migration 0035):
/// each lands in its month's partition; an id sent again is found whatever
/// month holds the first send; a month made later takes what the default
/// partition held of it; and retention drops whole months past the events'
/// period, keeping what held stays and legal holds still need, as SQLite's
/// plain table keeps and removes the same events row by row.
@Suite("Device events by month", .ownThread)
struct EventPartitionsTests {
    static let now = BillingFlowTests.noon

    static func event(_ id: String, at date: Date, device: String = "GM-1001-003", occupied: Bool = true) -> [String: any Sendable] {
        ["device_id": device, "event_id": id, "time": ISO8601DateFormatter().string(from: date), "type": "sensor_change", "occupied": occupied]
    }

    static func partition(of eventID: String, _ app: TestApp) async throws -> [String] {
        struct Row: Decodable { var name: String }
        return try await app.database.sql.raw("SELECT tableoid::regclass::text AS name FROM device_events WHERE event_id = \(bind: eventID) ORDER BY id")
            .all(decoding: Row.self).map(\.name)
    }

    @Test("Events land in their month; an id sent again an hour on in the next month is a conflict, at its own time a duplicate, weeks on a new event; a month made later takes its rows from the default")
    func months() async throws {
        try await withTestApp(.postgres, clock: TestClock(Self.now), configure: { $0.backgroundJobs = false }) { app in
            let sql = app.database.sql
            let now = Int64(Self.now.timeIntervalSince1970 * 1000)
            // What the partitions job does at start, on the test's clock.
            _ = try await app.store.write(on: app.database) { db in
                try await MonthlyPartitions.deviceEvents.ensure(from: now - MonthlyPartitions.behind, through: now + MonthlyPartitions.ahead, on: db.sql)
            }
            let october = try #require(ISO8601DateFormatter().date(from: "2026-10-31T23:30:00Z"))
            let first = try await app.ingest([Self.event("m1", at: october), Self.event("m2", at: Self.now.addingTimeInterval(-60), occupied: false)])
            #expect(first.json["accepted"] as? Int == 2)
            #expect(try await Self.partition(of: "m1", app) == ["device_events_m202610"])
            #expect(try await Self.partition(of: "m2", app) == ["device_events_m202611"])

            // m1 again an hour on, in November, with another state: a conflict with October's, kept aside; October's again: a duplicate.
            let again = try await app.ingest([Self.event("m1", at: october.addingTimeInterval(3_600), occupied: false), Self.event("m2", at: Self.now.addingTimeInterval(-60), occupied: false)])
            #expect(again.json["accepted"] as? Int == 0 && again.json["duplicates"] as? Int == 1)
            let rejected = try #require(again.json["rejected"] as? [[String: Any]])
            #expect(rejected.map { $0["code"] as? String } == ["event_id_conflict"] && rejected.first?["index"] as? Int == 0)
            #expect(try await Self.partition(of: "m1", app) == ["device_events_m202610"])
            #expect(try await app.ingest([Self.event("m1", at: october)]).json["duplicates"] as? Int == 1)
            // Weeks later the same id is another event: the device's counter started over.
            #expect(try await app.ingest([Self.event("m1", at: Self.now.addingTimeInterval(-30), occupied: false)]).json["accepted"] as? Int == 1)
            #expect(try await Self.partition(of: "m1", app) == ["device_events_m202610", "device_events_m202611"])
            // So also in a batch whose events span weeks: each id is held to a day either side of its own time.
            #expect(try await app.ingest([Self.event("m4", at: Self.now.addingTimeInterval(-10 * 86_400))]).json["accepted"] as? Int == 1)
            let span = try await app.ingest([
                Self.event("m4", at: Self.now.addingTimeInterval(-90), occupied: false), Self.event("m5", at: Self.now.addingTimeInterval(-20 * 86_400)),
            ])
            #expect(span.json["accepted"] as? Int == 2 && (span.json["rejected"] as? [Any])?.isEmpty ?? true)

            // A row of a month with no partition waits in the default one; making the month moves it there.
            let later = ReportMonth(year: 2030, month: 1)!
            let at = MonthlyPartitions.start(of: later) + 86_400_000
            try await sql.raw("""
                INSERT INTO device_events (device_id, event_id, gateway_id, bay_code, zone_id, kind, device_time_ms, received_ms)
                VALUES ('GM-1001-003', 'far', 'gw-test', '10010035', 'SP1', 1, \(bind: at), \(bind: at))
                """).run()
            #expect(try await Self.partition(of: "far", app) == ["device_events_default"])
            let made = try await app.store.write(on: app.database) { db in
                try await MonthlyPartitions.deviceEvents.ensure(from: at, through: at, on: db.sql)
            }
            #expect(made == [later])
            #expect(try await Self.partition(of: "far", app) == ["device_events_m203001"])
            struct Count: Decodable { var n: Int }
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM device_events").first(decoding: Count.self)?.n == 7)
        }
    }

    @Test("Past the events' period they go, by whole months on PostgreSQL, an unpaid stay's too; a legally held plate's are kept", arguments: StoreKind.testCases)
    func retention(kind: StoreKind) async throws {
        let clock = TestClock(Self.now)
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false }) { app in
            let bills = try await BillingFlowTests.threeBilledStays(app, clock: clock)
            let finance = try await app.client(as: .finance)
            for plate in ["粤J5K321", "粤J44444"] { _ = try await finance.createPayment(body: .json(.init(channel: .cash, bills: [bills[plate]!.number]))).created }
            _ = try await app.client(as: .admin).placeLegalHold(body: .json(.init(plate: "粤J44444", colour: .blue, reason: "法院调取"))).created
            struct Count: Decodable { var n: Int }
            func stored(_ bay: String) async throws -> Int {
                try await app.database.sql.raw("SELECT COUNT(*) AS n FROM device_events WHERE bay_code = \(bind: bay)").first(decoding: Count.self)?.n ?? 0
            }
            let (paid, unpaid, held) = (try await stored("10010027"), try await stored("10010043"), try await stored("10010051"))
            #expect(paid > 0 && unpaid > 0 && held > 0)

            // Ninety days on: past the plates' period, not the rows'. No event goes (empty months before may).
            clock.advance(by: 90 * 86_400)
            let retention = CurbsideApp.retention(app.database, app.configuration, store: app.store)
            let now = { Int64(clock.now.timeIntervalSince1970 * 1000) }
            let early = try await retention.run(now: now())
            #expect(early.eventRows == 0 && early.events > 0)
            #expect(try await stored("10010027") == paid)

            // Seventy more: November is past. The paid and the unpaid stay's events go (the unpaid one keeps its plate in its
            // session and bill); the held plate's stay's stay, every one.
            clock.advance(by: 70 * 86_400)
            let run = try await retention.run(now: now())
            #expect(run.eventRows >= paid + unpaid)
            let left = (try await stored("10010027"), try await stored("10010043"), try await stored("10010051"))
            #expect(left == (0, 0, held))
            #expect(unpaid > 0)
            if kind == .postgres {
                #expect(run.eventMonths >= 1)
                let months = try await app.store.write(on: app.database) { try await MonthlyPartitions.deviceEvents.months(on: $0.sql) }
                #expect(!months.contains(ReportMonth(year: 2026, month: 11)!))
                struct Row: Decodable { var name: String }
                let homes = Set(try await app.database.sql.raw("SELECT DISTINCT tableoid::regclass::text AS name FROM device_events").all(decoding: Row.self).map(\.name))
                #expect(homes == ["device_events_default"])
            }
            let audit = try await app.client(as: .admin).listAuditLog(query: .init(subject: "run")).ok.body.json.items.filter { $0.action == "retention" }
            #expect(audit.first { $0.detail.additionalProperties["event_rows"] == String(run.eventRows) } != nil)
            #expect(try await retention.run(now: now()).eventRows == 0)
        }
    }
}
