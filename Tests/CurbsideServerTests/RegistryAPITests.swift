import CurbsideAPI
import CurbsideCore
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

@Suite("Registry admin API", .ownThread)
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

    /// `zone` as the typed client sends it.
    static var zoneInput: Components.Schemas.ZoneInput {
        .init(
            id: "T1", name: "测试区", _class: ._2, district: "440784", districtName: "鹤山市沙坪街道", tariffId: "heshan", _operator: "测试运营",
            servicePhone: "0750-0000000", boundary: [[112.94, 22.75], [112.96, 22.75], [112.96, 22.76], [112.94, 22.76], [112.94, 22.75]]
        )
    }

    static var segmentInput: Components.Schemas.RoadSegmentInput {
        .init(id: "9001", zoneId: "T1", road: "测试路", side: .north, from: "甲路", to: "乙路", path: [[112.950, 22.755], [112.952, 22.755]])
    }

    static func bayInput(_ code: String? = nil, longitude: Double = 112.9505, sensor: String? = nil) -> Components.Schemas.BayInput {
        .init(code: code, segmentId: "9001", position: .init(longitude: longitude, latitude: 22.75502), sensorId: sensor)
    }

    @Test("A zone created or imported without a time zone takes the city's, as configured", arguments: StoreKind.testCases)
    func cityTimeZone(kind: StoreKind) async throws {
        try await withTestApp(kind, content: .empty, configure: { $0.city.timeZone = ZoneClock(identifier: "Asia/Urumqi")! }) { app in
            let created = try await app.client(as: .operator).createZone(body: .json(Self.zoneInput)).created.body.json
            #expect(created.timeZone == "Asia/Urumqi")
            let imported = try await app.request(.POST, "/v1/admin/imports", json: GeoJSONBuilder().zone(id: "T2").object, as: .operator)
            #expect(imported.status == 200)
            #expect(try await app.client(as: .operator).getZone(path: .init(zoneId: "T2")).ok.body.json.timeZone == "Asia/Urumqi")
            let cds = try await app.client().listCDSCurbAreas().ok.body.applicationVnd_cdsJsonVersion_1_1
            #expect(cds.value1.timeZone == "Asia/Urumqi")
        }
    }

    @Test("Create, read, update with If-Match, and the dated change log", arguments: StoreKind.testCases)
    func zoneLifecycle(kind: StoreKind) async throws {
        try await withTestApp(kind, content: .empty) { app in
            let operators = try await app.client(as: .operator)
            let created = try await operators.createZone(body: .json(Self.zoneInput)).created
            #expect(created.headers.eTag == "\"1\"")
            #expect(try created.body.json.status == .active)
            #expect(try created.body.json.timeZone == "Asia/Shanghai")

            #expect(try await operators.createZone(body: .json(Self.zoneInput)).conflict.body.json.code == "zone_exists")

            var renamed = Self.zoneInput
            renamed.name = "测试区（改）"
            let stale = try await operators.updateZone(path: .init(zoneId: "T1"), headers: .init(ifMatch: "\"7\""), body: .json(renamed))
            #expect(try stale.preconditionFailed.body.json.code == "revision_mismatch")
            let auditor = try await app.client(as: .auditor)
            #expect(try await auditor.getZone(path: .init(zoneId: "T1")).ok.body.json.name == "测试区")

            let updated = try await operators.updateZone(path: .init(zoneId: "T1"), headers: .init(ifMatch: "\"1\""), body: .json(renamed)).ok
            #expect(updated.headers.eTag == "\"2\"")
            #expect(try updated.body.json.name == "测试区（改）")

            let items = try await auditor.listRegistryChanges(query: .init(entity: .zone, entityId: "T1")).ok.body.json.items
            #expect(items.map(\.action) == [.created, .updated])
            #expect(items.allSatisfy { $0.actor == "operator.tester" && $0.actorRole == "operator" })
            let fields = try #require(items.last?.fields)
            #expect(fields.count == 1)
            #expect(fields.first?.field == "name" && fields.first?.from == "测试区" && fields.first?.to == "测试区（改）")
        }
    }

    @Test("Bays: codes checked everywhere, allocated when absent, sensors bound once", arguments: StoreKind.testCases)
    func bays(kind: StoreKind) async throws {
        try await withTestApp(kind, content: .empty) { app in
            let admin = try await app.client(as: .admin)
            _ = try await admin.createZone(body: .json(Self.zoneInput)).created
            _ = try await admin.createSegment(body: .json(Self.segmentInput)).created

            #expect(try await admin.createBay(body: .json(Self.bayInput("90010010"))).unprocessableContent.body.json.code == "bay_code_check_failed")

            let first = try await admin.createBay(body: .json(Self.bayInput(sensor: "GM-T-1"))).created.body.json
            #expect(first.code == (try BayCode(body: "9001001")).rawValue)
            #expect(first.fullCode == "440784" + first.code)
            #expect(abs(first.chainageM - 51) < 1.5)

            #expect(try await admin.createBay(body: .json(Self.bayInput(first.code, longitude: 112.9509))).conflict.body.json.code == "bay_exists")

            let second = try await admin.createBay(body: .json(Self.bayInput(longitude: 112.9506))).created.body.json
            #expect(second.code == (try BayCode(body: "9001002")).rawValue)

            let typed = "9001 003-" + (try BayCode(body: "9001003")).check.lowercased()
            let explicit = try await admin.createBay(body: .json(Self.bayInput(typed, longitude: 112.9507, sensor: "GM-T-1")))
            #expect(try explicit.unprocessableContent.body.json.code == "sensor_already_bound")

            #expect(try await admin.createBay(body: .json(Self.bayInput(longitude: 112.9600))).unprocessableContent.body.json.code == "bay_far_from_segment")

            let auditor = try await app.client(as: .auditor)
            #expect(try await auditor.listBays(query: .init(segment: "9001")).ok.body.json.items.count == 2)
            #expect(try await auditor.listBays(query: .init(limit: 1)).ok.body.json.nextAfter == first.code)
            #expect(try await auditor.listBays(query: .init(after: first.code, limit: 1)).ok.body.json.items.first?.code == second.code)
        }
    }

    @Test("Suspend for a window, reinstate, retire for good", arguments: StoreKind.testCases)
    func statusActions(kind: StoreKind) async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_790_000_000))
        try await withTestApp(kind, clock: clock) { app in
            let code = "10010019"
            let anyone = try await app.client()
            let operators = try await app.client(as: .operator)
            let openBefore = try await anyone.getZoneAvailability(path: .init(zoneId: "SP1")).ok.body.json.counts.total

            let until = Date(timeIntervalSince1970: 1_790_000_000 + 7200)
            let suspended = try await operators.suspendBay(path: .init(code: code), body: .json(.init(reason: "路面维修", until: until))).ok.body.json
            #expect(suspended.status == .suspended)
            #expect(suspended.suspension?.reason == "路面维修")
            #expect(try await anyone.getZoneAvailability(path: .init(zoneId: "SP1")).ok.body.json.counts.total == openBefore - 1)
            #expect(try await operators.listBays(query: .init(status: .suspended)).ok.body.json.items.count == 1)

            clock.advance(by: 7201)
            #expect(try await operators.getBay(path: .init(code: code)).ok.body.json.status == .active)

            _ = try await operators.suspendBay(path: .init(code: code), body: .json(.init(reason: "  "))).unprocessableContent

            let retired = try await operators.retireBay(path: .init(code: code), body: .json(.init(reason: "道路改造取消泊位"))).ok.body.json
            #expect(retired.status == .retired)
            #expect(try await operators.suspendBay(path: .init(code: code), body: .json(.init(reason: "x"))).conflict.body.json.code == "bay_retired")

            #expect(try await operators.suspendZone(path: .init(zoneId: "SP3"), body: .json(.init(reason: "节日活动"))).ok.body.json.status == .suspended)
            let sp3 = try await anyone.getZoneAvailability(path: .init(zoneId: "SP3")).ok.body.json
            #expect(sp3.status == .suspended && sp3.counts.total == 0)
            #expect(try await operators.getBay(path: .init(code: "30010016")).ok.body.json.status == .suspended)

            let log = try await app.client(as: .auditor).listRegistryChanges(query: .init(entityId: code)).ok.body.json.items
            #expect(log.map(\.action) == [.created, .suspended, .retired])
        }
    }

    @Test("Bad input gets a 4xx with a code and changes nothing", arguments: StoreKind.testCases)
    func badInput(kind: StoreKind) async throws {
        try await withTestApp(kind, configure: { $0.limits.request = 4096 }) { app in
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
