import CurbsideCore
import CurbsideStore
import CurbsideTestSupport
import Foundation
import Testing

@Suite("Registry admin API")
struct RegistryAPITests {
    static var zone: [String: Any] { [
        "id": "T1", "name": "测试区", "class": 2, "district": "440784", "district_name": "鹤山市沙坪街道",
        "tariff_id": "heshan", "operator": "测试运营", "service_phone": "0750-0000000",
        "boundary": [[112.94, 22.75], [112.96, 22.75], [112.96, 22.76], [112.94, 22.76], [112.94, 22.75]],
    ] }
    static var segment: [String: Any] { [
        "id": "9001", "zone_id": "T1", "road": "测试路", "side": "north", "from": "甲路", "to": "乙路",
        "path": [[112.950, 22.755], [112.952, 22.755]],
    ] }

    static func bay(_ code: String? = nil, longitude: Double = 112.9505, sensor: String? = nil) -> [String: Any] {
        var body: [String: Any] = ["segment_id": "9001", "position": ["longitude": longitude, "latitude": 22.75502]]
        if let code { body["code"] = code }
        if let sensor { body["sensor_id"] = sensor }
        return body
    }

    @Test("A zone created without a time zone takes the city's, as configured", arguments: StoreKind.testCases)
    func cityTimeZone(kind: StoreKind) async throws {
        try await withTestApp(kind, content: .empty, configure: { $0.timeZone = ZoneClock(identifier: "Asia/Urumqi")! }) { app in
            let created = try await app.request(.POST, "/v1/admin/zones", json: Self.zone, as: .operator)
            #expect(created.status == 201)
            #expect(created.json["time_zone"] as? String == "Asia/Urumqi")
            let cds = try await app.request(.GET, "/cds/curbs/areas", headers: [("Accept", CDSCurbsTests.mediaType)])
            #expect(cds.json["time_zone"] as? String == "Asia/Urumqi")
        }
    }

    @Test("Create, read, update with If-Match, and the dated change log", arguments: StoreKind.testCases)
    func zoneLifecycle(kind: StoreKind) async throws {
        try await withTestApp(kind, content: .empty) { app in
            let created = try await app.request(.POST, "/v1/admin/zones", json: Self.zone, as: .operator)
            #expect(created.status == 201)
            #expect(created.headers.first(name: "ETag") == "\"1\"")
            #expect(created.json["status"] as? String == "active")
            #expect(created.json["time_zone"] as? String == "Asia/Shanghai")

            let duplicate = try await app.request(.POST, "/v1/admin/zones", json: Self.zone, as: .operator)
            #expect(duplicate.status == 409)
            #expect(duplicate.errorCode == "zone_exists")

            var renamed = Self.zone
            renamed["name"] = "测试区（改）"
            let stale = try await app.request(.PUT, "/v1/admin/zones/T1", json: renamed, as: .operator, headers: [("If-Match", "\"7\"")])
            #expect(stale.status == 412)
            #expect(stale.errorCode == "revision_mismatch")
            #expect(try await app.get("/v1/admin/zones/T1", as: .auditor).json["name"] as? String == "测试区")

            let updated = try await app.request(.PUT, "/v1/admin/zones/T1", json: renamed, as: .operator, headers: [("If-Match", "\"1\"")])
            #expect(updated.status == 200)
            #expect(updated.headers.first(name: "ETag") == "\"2\"")
            #expect(updated.json["name"] as? String == "测试区（改）")

            let changes = try await app.get("/v1/admin/changes?entity=zone&entity_id=T1", as: .auditor)
            let items = try #require(changes.json["items"] as? [[String: Any]])
            #expect(items.map { $0["action"] as? String } == ["created", "updated"])
            #expect(items.allSatisfy { $0["actor"] as? String == "operator.tester" && $0["actor_role"] as? String == "operator" && $0["changed_at"] != nil })
            let fields = try #require(items.last?["fields"] as? [[String: Any]])
            #expect(fields.count == 1)
            #expect(fields.first?["field"] as? String == "name" && fields.first?["from"] as? String == "测试区" && fields.first?["to"] as? String == "测试区（改）")
        }
    }

    @Test("Bays: codes checked everywhere, allocated when absent, sensors bound once", arguments: StoreKind.testCases)
    func bays(kind: StoreKind) async throws {
        try await withTestApp(kind, content: .empty) { app in
            #expect(try await app.request(.POST, "/v1/admin/zones", json: Self.zone, as: .admin).status == 201)
            #expect(try await app.request(.POST, "/v1/admin/segments", json: Self.segment, as: .admin).status == 201)

            let wrongCheck = try await app.request(.POST, "/v1/admin/bays", json: Self.bay("90010010"), as: .admin)
            #expect(wrongCheck.status == 422)
            #expect(wrongCheck.errorCode == "bay_code_check_failed")

            let first = try await app.request(.POST, "/v1/admin/bays", json: Self.bay(sensor: "GM-T-1"), as: .admin)
            #expect(first.status == 201)
            let firstCode = try #require(first.json["code"] as? String)
            #expect(firstCode == (try BayCode(body: "9001001")).rawValue)
            #expect(first.json["full_code"] as? String == "440784" + firstCode)
            #expect((first.json["chainage_m"] as? Double).map { abs($0 - 51) < 1.5 } == true)

            let taken = try await app.request(.POST, "/v1/admin/bays", json: Self.bay(firstCode, longitude: 112.9509), as: .admin)
            #expect(taken.status == 409)
            #expect(taken.errorCode == "bay_exists")

            let second = try await app.request(.POST, "/v1/admin/bays", json: Self.bay(longitude: 112.9506), as: .admin)
            #expect(second.json["code"] as? String == (try BayCode(body: "9001002")).rawValue)

            let typed = "9001 003-" + (try BayCode(body: "9001003")).check.lowercased()
            let explicit = try await app.request(.POST, "/v1/admin/bays", json: Self.bay(typed, longitude: 112.9507, sensor: "GM-T-1"), as: .admin)
            #expect(explicit.status == 422)
            #expect(explicit.errorCode == "sensor_already_bound")

            let far = try await app.request(.POST, "/v1/admin/bays", json: Self.bay(longitude: 112.9600), as: .admin)
            #expect(far.status == 422)
            #expect(far.errorCode == "bay_far_from_segment")

            let list = try await app.get("/v1/admin/bays?segment=9001", as: .auditor)
            #expect((list.json["items"] as? [[String: Any]])?.count == 2)
            let page = try await app.get("/v1/admin/bays?limit=1", as: .auditor)
            #expect(page.json["next_after"] as? String == firstCode)
            let rest = try await app.get("/v1/admin/bays?limit=1&after=\(firstCode)", as: .auditor)
            #expect((rest.json["items"] as? [[String: Any]])?.first?["code"] as? String == second.json["code"] as? String)
        }
    }

    @Test("Suspend for a window, reinstate, retire for good", arguments: StoreKind.testCases)
    func statusActions(kind: StoreKind) async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_790_000_000))
        try await withTestApp(kind, clock: clock) { app in
            let code = "10010019"
            let before = try await app.get("/v1/availability/zones/SP1")
            let openBefore = try #require((before.json["counts"] as? [String: Any])?["total"] as? Int)

            let until = Date(timeIntervalSince1970: 1_790_000_000 + 7200)
            let suspended = try await app.request(.POST, "/v1/admin/bays/\(code)/suspend", json: ["reason": "路面维修", "until": until.formatted(.iso8601)], as: .operator)
            #expect(suspended.status == 200)
            #expect(suspended.json["status"] as? String == "suspended")
            #expect((suspended.json["suspension"] as? [String: Any])?["reason"] as? String == "路面维修")
            let during = try await app.get("/v1/availability/zones/SP1")
            #expect((during.json["counts"] as? [String: Any])?["total"] as? Int == openBefore - 1)
            #expect(try await app.get("/v1/admin/bays?status=suspended", as: .operator).json["items"].map { ($0 as? [Any])?.count } == 1)

            clock.advance(by: 7201)
            #expect(try await app.get("/v1/admin/bays/\(code)", as: .operator).json["status"] as? String == "active")

            let noReason = try await app.request(.POST, "/v1/admin/bays/\(code)/suspend", json: ["reason": "  "], as: .operator)
            #expect(noReason.status == 422)

            let retired = try await app.request(.POST, "/v1/admin/bays/\(code)/retire", json: ["reason": "道路改造取消泊位"], as: .operator)
            #expect(retired.status == 200)
            #expect(retired.json["status"] as? String == "retired")
            let again = try await app.request(.POST, "/v1/admin/bays/\(code)/suspend", json: ["reason": "x"], as: .operator)
            #expect(again.status == 409)
            #expect(again.errorCode == "bay_retired")

            let zone = try await app.request(.POST, "/v1/admin/zones/SP3/suspend", json: ["reason": "节日活动"], as: .operator)
            #expect(zone.json["status"] as? String == "suspended")
            let sp3 = try await app.get("/v1/availability/zones/SP3")
            #expect(sp3.json["status"] as? String == "suspended")
            #expect((sp3.json["counts"] as? [String: Any])?["total"] as? Int == 0)
            #expect(try await app.get("/v1/admin/bays/30010016", as: .operator).json["status"] as? String == "suspended")

            let log = try await app.get("/v1/admin/changes?entity_id=\(code)", as: .auditor)
            let actions = (log.json["items"] as? [[String: Any]])?.compactMap { $0["action"] as? String }
            #expect(actions == ["created", "suspended", "retired"])
        }
    }

    @Test("Bad input gets a 4xx with a code and changes nothing", arguments: StoreKind.testCases)
    func badInput(kind: StoreKind) async throws {
        try await withTestApp(kind, configure: { $0.maxBodyBytes = 4096 }) { app in
            let before = try await app.get("/v1/admin/changes?limit=1000", as: .admin).json["items"].map { ($0 as? [Any])?.count }

            let malformed = try await app.request(.POST, "/v1/admin/zones", body: Data("{\"id\": ".utf8), as: .admin)
            #expect(malformed.status == 400)
            #expect(malformed.errorCode == "malformed_body")

            var missing = Self.zone
            missing.removeValue(forKey: "name")
            let noName = try await app.request(.POST, "/v1/admin/zones", json: missing, as: .admin)
            #expect(noName.status == 400)
            #expect(noName.errorCode == "missing_field")
            #expect(noName.json["message"] as? String == "name is required.")

            var badClass = Self.zone
            badClass["class"] = 4
            #expect(try await app.request(.POST, "/v1/admin/zones", json: badClass, as: .admin).status == 400)

            var unknownTariff = Self.zone
            unknownTariff["tariff_id"] = "atlantis"
            let tariff = try await app.request(.POST, "/v1/admin/zones", json: unknownTariff, as: .admin)
            #expect(tariff.status == 422)
            #expect(tariff.errorCode == "unknown_tariff")

            var orphan = Self.segment
            orphan["zone_id"] = "NOPE"
            let segment = try await app.request(.POST, "/v1/admin/segments", json: orphan, as: .admin)
            #expect(segment.status == 422)
            #expect(segment.errorCode == "unknown_zone")

            var huge = Self.zone
            huge["name"] = String(repeating: "长", count: 3000)
            let tooLarge = try await app.request(.POST, "/v1/admin/zones", json: huge, as: .admin)
            #expect(tooLarge.status == 413)
            #expect(tooLarge.errorCode == "body_too_large")

            let after = try await app.get("/v1/admin/changes?limit=1000", as: .admin).json["items"].map { ($0 as? [Any])?.count }
            #expect(before == after)
            #expect(try await app.get("/v1/admin/zones/T1", as: .admin).status == 404)
        }
    }

    @Test("Imports over HTTP: a dry run, the real thing, and every bad feature reported", arguments: StoreKind.testCases)
    func imports(kind: StoreKind) async throws {
        // A whole district's import may take longer than the idle timeout on a machine busy with the rest of the suite.
        try await withTestApp(kind, content: .empty, configure: { $0.edge.idleTimeout = 600 }) { app in
            let heshan = try #require(FileManager.default.contents(atPath: RepositoryPaths.zones + "/heshan-shaping.geojson"))
            let dry = try await app.request(.POST, "/v1/admin/imports?dry_run=true", body: heshan, contentType: "application/geo+json", as: .operator)
            #expect(dry.status == 200)
            #expect((dry.json["bays"] as? [String: Any])?["created"] as? Int == 820)
            #expect(try await app.get("/v1/admin/zones", as: .operator).json["items"].map { ($0 as? [Any])?.count } == 0)

            let real = try await app.request(.POST, "/v1/admin/imports", body: heshan, contentType: "application/geo+json", as: .operator)
            #expect(real.status == 200)
            #expect(real.json["dry_run"] as? Bool == false)
            let again = try await app.request(.POST, "/v1/admin/imports", body: heshan, as: .operator)
            #expect(again.json["unchanged"] as? Int == 837)

            let bad = GeoJSONBuilder().bay(code: "10010010", segment: "1001").segment(id: "9002", zone: "MISSING").object
            let rejected = try await app.request(.POST, "/v1/admin/imports", json: bad, as: .operator)
            #expect(rejected.status == 422)
            let issues = try #require(rejected.json["issues"] as? [[String: Any]])
            #expect(issues.map { $0["index"] as? Int } == [0, 1])
            #expect(issues.map { $0["code"] as? String } == ["bay_code_check_failed", "unknown_zone"])
        }
    }
}
