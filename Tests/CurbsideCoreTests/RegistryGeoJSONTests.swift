import CurbsideTestThreads
import Foundation
import Testing
@testable import CurbsideCore

@Suite("Registry GeoJSON and planning", .ownThread)
struct RegistryGeoJSONTests {
    static func feature(_ properties: [String: Any], _ geometry: [String: Any]?) -> [String: Any] {
        ["type": "Feature", "properties": properties, "geometry": geometry ?? NSNull()]
    }

    static func document(_ features: [[String: Any]]) -> Data {
        try! JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": features])
    }

    static var zoneProperties: [String: Any] {
        [
            "entity": "zone", "id": "Z", "name": "区", "class": 1, "district": "440784", "district_name": "鹤山市",
            "tariff": "heshan", "operator": "运营", "service_phone": "0750",
        ]
    }
    static var square: [String: Any] { ["type": "Polygon", "coordinates": [[[112.9, 22.7], [113.0, 22.7], [113.0, 22.8], [112.9, 22.7]]]] }
    static var line: [String: Any] { ["type": "LineString", "coordinates": [[112.95, 22.75], [112.951, 22.75]]] }

    @Test("A well-formed document reads into zones, segments and bays with defaults applied")
    func reads() throws {
        let data = Self.document([
            Self.feature(Self.zoneProperties, Self.square),
            Self.feature(["entity": "segment", "id": "S", "zone": "Z", "road": "路", "side": "north"], Self.line),
            Self.feature(["entity": "bay", "code": "1001 0019", "segment": "S", "kind": "ev_charging", "charger_id": "C1", "charger_kw": 7], ["type": "Point", "coordinates": [112.9505, 22.75001]]),
        ])
        let (document, issues) = RegistryGeoJSON.read(data, cityTimeZone: "Asia/Shanghai")
        #expect(issues.isEmpty)
        #expect(document.zones.first?.spec.timeZone == "Asia/Shanghai")
        #expect(document.zones.first?.spec.serviceHours == "00:00-24:00")
        #expect(document.segments.first?.spec.address == "路北侧")
        #expect(document.bays.first?.spec.code.rawValue == "10010019")
        #expect(document.bays.first?.spec.kind == .evCharging(chargerID: "C1", powerKW: 7))
    }

    @Test("Each problem names the feature and the property", arguments: [
        (["class": 4], "The class must be 1, 2 or 3."),
        (["district": "12345"], "The district '12345' is not a 6-digit GB/T 2260 division code."),
        (["time_zone": "Mars/Olympus"], "The time_zone 'Mars/Olympus' is not an IANA time zone."),
        (["id": "has space"], "The id 'has space' must be 1-40 letters, digits, '-', '_', '.' or ':'."),
        (["status": "suspended"], "The status must be active or retired, not 'suspended'; suspensions are set through the API."),
        (["name": ""], "The name property is missing."),
    ] as [([String: any Sendable], String)])
    func zoneProblems(change: [String: any Sendable], message: String) {
        var properties = Self.zoneProperties
        properties.merge(change) { $1 }
        let (document, issues) = RegistryGeoJSON.read(Self.document([Self.feature(properties, Self.square)]), cityTimeZone: "Asia/Shanghai")
        #expect(document.zones.isEmpty)
        #expect(issues.map(\.message) == [message])
        #expect(issues.first?.index == 0)
    }

    @Test("A zone without a time zone keeps the city's; one with its own keeps that")
    func cityTimeZone() {
        var own = Self.zoneProperties
        own["id"] = "OWN"
        own["time_zone"] = "Asia/Shanghai"
        var none = Self.zoneProperties
        none["id"] = "NONE"
        none["time_zone"] = nil
        let (document, issues) = RegistryGeoJSON.read(Self.document([Self.feature(own, Self.square), Self.feature(none, Self.square)]), cityTimeZone: "Asia/Urumqi")
        #expect(issues.isEmpty)
        #expect(document.zones.map(\.spec.timeZone) == ["Asia/Shanghai", "Asia/Urumqi"])
    }

    @Test("Geometry must be of the entity's type, in range, and closed for polygons")
    func geometry() {
        let (_, issues) = RegistryGeoJSON.read(Self.document([
            Self.feature(Self.zoneProperties, Self.line),
            Self.feature(["entity": "segment", "id": "S", "zone": "Z", "road": "路", "side": "north"], ["type": "LineString", "coordinates": [[112.95, 22.75]]]),
            Self.feature(["entity": "bay", "code": "10010019", "segment": "S"], ["type": "Point", "coordinates": [200, 22.75]]),
            Self.feature(Self.zoneProperties, ["type": "Polygon", "coordinates": [[[112.9, 22.7], [113.0, 22.7], [113.0, 22.8], [112.9, 22.8]]]]),
        ]), cityTimeZone: "Asia/Shanghai")
        #expect(issues.map(\.index) == [0, 1, 2, 3])
        #expect(issues.allSatisfy { $0.code == "invalid_geometry" })
        #expect(issues[2].message == "[200.0, 22.75] is outside WGS-84 range.")
    }

    @Test("Planning refuses to bring a retired bay back and reports references to unreadable features only once")
    func planning() throws {
        let code = try BayCode(body: "1001001")
        let segment = RoadSegmentSpec(id: "S", zoneID: "Z", roadName: "路", side: .north, fromStreet: "", toStreet: "", path: [GeoPoint(latitude: 22.75, longitude: 112.95), GeoPoint(latitude: 22.75, longitude: 112.951)])
        let bay = BaySpec(code: code, segmentID: "S", position: GeoPoint(latitude: 22.75001, longitude: 112.9505), kind: .normal, sensorID: nil, cameraID: nil)
        let zone = ZoneSpec(id: "Z", name: "区", zoneClass: .one, district: DivisionCode("440784")!, districtName: "鹤山市", tariffID: "heshan", timeZone: "Asia/Shanghai", operatorName: "运营", servicePhone: "0750", serviceHours: "24h", boundary: [])
        let stored = RegistrySnapshot(zones: ["Z": .init(spec: zone, lifecycle: .active)], segments: ["S": .init(spec: segment, lifecycle: .active)], bays: [code: .init(spec: bay, lifecycle: .retired)])
        var document = RegistryDocument()
        document.bays = [.init(index: 0, spec: bay, lifecycle: .active)]
        var orphan = bay
        orphan.code = try BayCode(body: "1001002")
        orphan.segmentID = "BROKEN"
        document.bays.append(.init(index: 1, spec: orphan, lifecycle: nil))
        document.unreadableSegments = ["BROKEN"]
        let result = RegistryPlanner(tariffIDs: ["heshan"]).plan(document, against: stored)
        guard case let .failure(rejection) = result else { Issue.record("expected a refusal"); return }
        #expect(rejection.issues.map(\.code) == ["retired_is_final"])

        let unchanged = RegistryPlanner(tariffIDs: ["heshan"]).plan(RegistryDocument(), against: stored)
        #expect((try? unchanged.get())?.changeCount == 0)
    }

    @Test("Kerb geometry: offsets and chainage in metres")
    func geometryMaths() {
        let path = [GeoPoint(latitude: 22.75, longitude: 112.95), GeoPoint(latitude: 22.75, longitude: 112.96)]
        let length = GeoDistance.length(of: path)
        #expect(abs(length - 1026.3) < 1)
        let point = GeoPoint(latitude: 22.75 + 10 / 111_195.0, longitude: 112.955)
        let projection = GeoDistance.projection(of: point, onto: path)
        #expect(abs(projection.offset - 10) < 0.05)
        #expect(abs(projection.chainage - length / 2) < 0.5)
        let middle = GeoDistance.midpoint(of: path)
        #expect(abs(middle.longitude - 112.955) < 1e-6)
    }

    @Test("Local dates parse strictly")
    func localDates() {
        #expect(LocalDate("2024-02-29")?.description == "2024-02-29")
        #expect(LocalDate("2025-02-29") == nil)
        #expect(LocalDate("2025-2-1") == nil)
        #expect(LocalDate("2025-13-01") == nil)
    }
}
