import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// The CDS 1.1 Metrics API over HTTP: a morning's stays as sessions and as
/// hourly aggregates per bay and per zone, each row checked against the
/// published Session and Aggregate schemas, and every figure worked out again
/// here minute by minute from the stays that went in.
@Suite("CDS Metrics API", .ownThread)
struct CDSMetricsTests {
    static let models = RepositoryPaths.fixtures + "/cds/Shared Data Models/"
    static let accept = [("Accept", "application/vnd.cds+csv; version=1.1")]
    /// 08:00 in Heshan (UTC+8) on 2026-11-20, and each hour after.
    static let eight: Int64 = 1_795_132_800_000
    static func hour(_ n: Int64) -> Int64 { eight + n * 3_600_000 }

    /// The stays of BillingFlowTests, as (bay, start, end) in UTC ms.
    static let stays: [(bay: String, start: Int64, end: Int64?)] = [
        ("10010027", hour(0), hour(2)), ("10010035", hour(0), hour(0) + 20 * 60_000), ("1001006X", hour(0), hour(3)),
        ("10010043", hour(1), hour(3)), ("10010051", hour(0) + 30 * 60_000, hour(3) + 30 * 60_000),
        ("10010078", hour(1) + 30 * 60_000, hour(2) + 30 * 60_000), ("10010086", hour(2), nil),
    ]

    @Test("Stays come out as sessions and hourly aggregates that conform and add up", arguments: StoreKind.testCases)
    func metrics(kind: StoreKind) async throws {
        let clock = TestClock(BillingFlowTests.noon)
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false }) { app in
            #expect(try await app.ingest(BillingFlowTests.stays()).status == 200)
            try await app.fuse()
            var validator = JSONSchemaValidator()
            let window = "start_time=\(Self.hour(0))&end_time=\(Self.hour(4))"

            // Sessions: one per stay, with the Events API's ids and the stays' own times.
            let sessions = try await Self.csv(app, "/cds/metrics/sessions?\(window)")
            #expect(sessions.count == Self.stays.count)
            for row in sessions {
                let problems = try validator.problems(Self.json(row), file: Self.models + "session.yaml")
                #expect(problems.isEmpty, "\(problems.prefix(5))")
            }
            let spaces = try await Self.spaces(app)
            let starts = Set(sessions.map { "\($0["curb_space_id"]!) \($0["event_time_start"]!) \($0["event_time_end"]!)" })
            #expect(starts == Set(Self.stays.map { "\(spaces[$0.bay]!) \($0.start) \($0.end.map(String.init) ?? "")" }))
            let events = try await app.request(.GET, "/cds/events/events?event_time=2026-11-20T00", as: .auditor)
            let parkStarts = ((events.json["data"] as? [String: Any])?["events"] as? [[String: Any]] ?? []).filter { $0["event_type"] as? String == "park_start" }
            #expect(parkStarts.count == 4)
            for event in parkStarts {
                let session = sessions.first { $0["event_session_id"] == event["event_session_id"] as? String }
                #expect(session?["event_id_start"] == event["event_id"] as? String)
            }
            #expect(sessions.allSatisfy { !$0.values.contains { $0.contains("粤") } })

            // One bay: stay A filled 08:00 to 10:00.
            let bay = spaces["10010027"]!
            let single = try await Self.csv(app, "/cds/metrics/aggregates?curb_place_type=space&curb_place_id=\(bay)&\(window)")
            for row in single {
                let problems = try validator.problems(Self.json(row), file: Self.models + "aggregate.yaml")
                #expect(problems.isEmpty, "\(problems.prefix(5))")
            }
            func value(_ rows: [[String: String]], _ metric: String, _ hour: Int) -> String? {
                rows.first { $0["metric_type"] == metric && $0["hour"] == String(hour) }?["value"]
            }
            #expect((8...11).map { value(single, "occupancy_percent", $0) } == ["100", "100", "0", "0"])
            #expect((8...11).map { value(single, "total_events", $0) } == ["1", "0", "1", "0"])
            #expect(value(single, "average_dwell_time", 8) == "120" && value(single, "average_dwell_time", 9) == nil)
            #expect(single.allSatisfy { $0["date"] == "2026-11-20" && $0["curb_place_type"] == "space" && $0["curb_place_id"] == bay })

            // Every zone, every metric, against a minute-by-minute count.
            let areas = try await Self.csv(app, "/cds/metrics/aggregates?\(window)")
            let members = try await Self.areaBays(app)
            #expect(Set(areas.map { $0["curb_place_id"]! }) == Set(members.keys))
            for row in areas {
                let problems = try validator.problems(Self.json(row), file: Self.models + "aggregate.yaml")
                #expect(problems.isEmpty, "\(problems.prefix(5))")
                let expected = Self.expected(row["metric_type"]!, hour: Int64(row["hour"]!)! - 8, bays: members[row["curb_place_id"]!]!, now: Self.hour(4))
                #expect(expected.map { abs($0 - Double(row["value"]!)!) < 0.00006 } ?? false, "\(row) expected \(String(describing: expected))")
            }
            #expect(areas.count == members.count * 4 * 5 - Self.hoursWithoutEndedStays(members))
            #expect(try await Self.csv(app, "/cds/metrics/aggregates?metric_type=turnover&\(window)").allSatisfy { $0["metric_type"] == "turnover" })

            // Near a point: only the bay within a metre.
            let position = try await Self.position(app, "10010027")
            let near = try await Self.csv(app, "/cds/metrics/sessions?lat=\(position.lat)&lng=\(position.lng)&radius=100&\(window)")
            #expect(near.map { $0["curb_space_id"] } == [bay])

            // Every device last reported when the events came in; an hour later they are marked out of contact,
            // and their bays' hours from then on read -1.
            clock.advance(by: 3600)
            let lostAt = Int64(clock.now.timeIntervalSince1970 * 1000)
            let lost = try await DeviceRegistry(store: app.store, database: app.database).markOffline(offlineAfter: app.configuration.ingest.deviceOfflineAfter, now: lostAt)
            #expect(lost.contains("GM-1001-002"))
            clock.advance(by: 2 * 3600)
            let dark = try await Self.csv(app, "/cds/metrics/aggregates?curb_place_type=space&curb_place_id=\(bay)&start_time=\(lostAt)&end_time=\(lostAt + 7_200_000)")
            #expect(dark.count == 5 * 2 && dark.allSatisfy { $0["value"] == "-1" }, "\(dark)")
        }
    }

    @Test("Refusals: wrong Accept, bad filters and windows, unknown places, and callers without the role", arguments: [StoreKind.sqlite])
    func refusals(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(BillingFlowTests.noon), configure: { $0.backgroundJobs = false }) { app in
            let path = "/cds/metrics/aggregates"
            #expect(try await app.request(.GET, path, as: .auditor, headers: [("Accept", "application/json")]).errorCode == "not_acceptable")
            #expect(try await app.request(.GET, "/cds/curbs/areas", headers: [("Accept", "text/csv")]).status == 406)
            #expect(try await app.request(.GET, path, as: .auditor, headers: [("Accept", "*/*")]).status == 200)
            #expect(try await app.request(.GET, path, as: .auditor).status == 200)
            let refusals = [
                ("?curb_place_id=\(UUID().uuidString)", "curb_place_type_required"),
                ("?curb_place_type=zone&curb_place_id=\(UUID().uuidString)", "curb_place_not_found"),
                ("?min_lat=22.7&min_lng=112.9", "invalid_bounding_box"),
                ("?min_lat=22.7&min_lng=112.9&max_lat=22.8&max_lng=113&lat=22.7&lng=112.9&radius=10", "conflicting_location_filters"),
                ("?lat=22.7&lng=112.9", "invalid_point_radius"),
                ("?lat=22.7&lng=112.9&radius=-5", "invalid_parameter"),
                ("?start_time=1795132800000&end_time=1795132800000", "invalid_time_range"),
                ("?start_time=1790000000000&end_time=1795132800000", "time_range_too_long"),
                ("?curb_place_type=space&start_time=1792540800000&end_time=1795132800000", "too_many_rows"),
            ]
            for (query, code) in refusals {
                let response = try await app.request(.GET, path + query, as: .auditor, headers: Self.accept)
                #expect(response.errorCode == code, "\(query): \(response.status) \(response.text.prefix(200))")
            }
            #expect(try await app.request(.GET, "/cds/metrics/sessions", as: .patrol, headers: Self.accept).status == 403)
            #expect(try await app.request(.GET, "/cds/metrics/sessions", headers: Self.accept).status == 401)
        }
    }

    /// A CSV answer as rows keyed by the header line, after checking its media type.
    static func csv(_ app: TestApp, _ path: String) async throws -> [[String: String]] {
        let response = try await app.request(.GET, path, as: .auditor, headers: accept)
        #expect(response.status == 200, "\(path): \(response.text.prefix(300))")
        #expect(response.headers.first(name: "Content-Type")?.hasPrefix("application/vnd.cds+csv") == true)
        #expect(!response.text.contains("\""))
        var lines = response.text.components(separatedBy: "\r\n")
        #expect(lines.last == "")
        lines.removeLast()
        let header = lines.removeFirst().components(separatedBy: ",")
        return lines.map { Dictionary(uniqueKeysWithValues: zip(header, $0.components(separatedBy: ","))) }
    }

    /// A CSV row as the JSON object the schema describes: empty fields left out, numbers as numbers, area ids as a list.
    static func json(_ row: [String: String]) throws -> Data {
        var object: [String: Any] = [:]
        for (key, text) in row where !text.isEmpty {
            if key == "curb_area_ids" {
                object[key] = text.components(separatedBy: " ")
            } else if key.hasPrefix("event_time") || key == "hour" {
                object[key] = Int64(text)
            } else if key.contains("latitude") || key.contains("longitude") || key == "value" {
                object[key] = Double(text)
            } else {
                object[key] = text
            }
        }
        return try JSONSerialization.data(withJSONObject: object)
    }

    /// Bay code to CDS space id, from the Curbs API.
    static func spaces(_ app: TestApp) async throws -> [String: String] {
        let spaces = (try await app.request(.GET, "/cds/curbs/spaces").json["data"] as? [String: Any])?["spaces"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: spaces.map { ($0["name"] as! String, $0["curb_space_id"] as! String) })
    }

    /// A bay's position, from the bay API.
    static func position(_ app: TestApp, _ code: String) async throws -> (lat: Double, lng: Double) {
        let position = try #require(try await app.request(.GET, "/v1/bays/\(code)", as: .auditor).json["position"] as? [String: Any])
        return (try #require(position["latitude"] as? Double), try #require(position["longitude"] as? Double))
    }

    /// Curb Area id to the bay codes in it, from the Curbs API.
    static func areaBays(_ app: TestApp) async throws -> [String: [String]] {
        let areas = (try await app.request(.GET, "/cds/curbs/areas").json["data"] as? [String: Any])?["areas"] as? [[String: Any]] ?? []
        let spaces = (try await app.request(.GET, "/cds/curbs/spaces").json["data"] as? [String: Any])?["spaces"] as? [[String: Any]] ?? []
        var members: [String: [String]] = [:]
        for area in areas {
            let zones = Set(area["curb_zone_ids"] as? [String] ?? [])
            members[area["curb_area_id"] as! String] = spaces.filter { zones.contains($0["curb_zone_id"] as! String) }.map { $0["name"] as! String }
        }
        return members
    }

    /// A metric for the bays in hour `n` after 08:00, counted minute by minute; nil where there is nothing to average.
    static func expected(_ metric: String, hour n: Int64, bays: [String], now: Int64) -> Double? {
        let from = hour(n), until = hour(n + 1)
        let here = stays.filter { bays.contains($0.bay) }
        let started = here.filter { (from..<until).contains($0.start) }
        let ended = here.filter { $0.end.map { (from..<until).contains($0) } ?? false }
        var occupiedMinutes = 0
        for minute in stride(from: from, to: min(until, now), by: 60_000) {
            occupiedMinutes += here.count { $0.start <= minute && ($0.end ?? now) > minute }
        }
        let bayMinutes = Double(bays.count) * Double(min(until, now) - from) / 60_000
        switch metric {
        case "total_sessions": return Double(started.count)
        case "total_events": return Double(started.count + ended.count)
        case "turnover": return Double(started.count) / (bayMinutes / 60)
        case "occupancy_percent": return Double(occupiedMinutes) * 100 / bayMinutes
        case "average_dwell_time":
            let done = started.compactMap { stay in stay.end.map { $0 - stay.start } }
            return done.isEmpty ? nil : Double(done.reduce(0, +)) / Double(done.count) / 60_000
        default: return nil
        }
    }

    /// Area-hours in which no stay that started has ended, which have no average dwell time row.
    static func hoursWithoutEndedStays(_ members: [String: [String]]) -> Int {
        members.values.reduce(0) { total, bays in total + (0..<4).count { expected("average_dwell_time", hour: Int64($0), bays: bays, now: hour(4)) == nil } }
    }
}
