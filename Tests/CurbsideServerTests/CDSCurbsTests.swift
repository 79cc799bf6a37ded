import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// The CDS 1.1 Curbs API over HTTP: the registry as Curb Areas, Zones and
/// Spaces in the CDS media type and envelope, every response checked against
/// the CDS schema files as published (Fixtures/cds).
@Suite("CDS Curbs API", .ownThread)
struct CDSCurbsTests {
    static let curbs = RepositoryPaths.fixtures + "/cds/APIs/Curbs API.yaml"
    static let lineString = RepositoryPaths.fixtures + "/cds/Shared Data Models/geoJSON_linestring.yaml"
    static let mediaType = "application/vnd.cds+json; version=1.1"

    static func schema(_ path: String) -> String {
        "#/paths/~1curbs~1\(path)/get/responses/200/content/application~1json/schema"
    }

    @Test("Areas, zones and spaces conform to the CDS schemas, link up, and show live availability", arguments: StoreKind.testCases)
    func curbs(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(BillingFlowTests.noon), configure: { $0.backgroundJobs = false }) { app in
            // A car parked in 10010027 since 10:00.
            #expect(try await app.ingest(StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: "2026-11-20T10:00:00+08:00", to: nil, id: "P")).status == 200)
            try await app.fuse()
            var validator = JSONSchemaValidator()
            var documents: [String: [String: Any]] = [:]
            for path in ["areas", "zones", "spaces"] {
                let response = try await app.request(.GET, "/cds/curbs/\(path)", headers: [("Accept", Self.mediaType)])
                #expect(response.status == 200, "\(path): \(response.text.prefix(200))")
                #expect(response.headers.first(name: "Content-Type")?.hasPrefix(Self.mediaType) == true)
                var problems = try validator.problems(response.body, file: Self.curbs, pointer: Self.schema(path))
                if path == "zones" {
                    // CDS 1.1's curb_zone.yaml makes `geometry` a oneOf of its Polygon and LineString schemas, which accept
                    // exactly the same objects (neither fixes `type`), so every geometry matches both and no oneOf can pass
                    // as written. That one rule is set aside; each geometry is checked against the LineString schema instead.
                    let specError = problems.filter { $0.wholeMatch(of: /\$\.data\.zones\[\d+\]\.geometry: matches 2 of the oneOf schemas/) != nil }
                    #expect(specError.count == 14)
                    problems.removeAll { specError.contains($0) }
                    let zones = (response.json["data"] as? [String: Any])?["zones"] as? [[String: Any]] ?? []
                    for zone in zones {
                        let geometry = try JSONSerialization.data(withJSONObject: zone["geometry"] ?? [:])
                        #expect(try validator.problems(geometry, file: Self.lineString) == [])
                        #expect((zone["geometry"] as? [String: Any])?["type"] as? String == "LineString")
                    }
                }
                #expect(problems.isEmpty, "\(path): \(problems.prefix(5))")
                documents[path] = response.json
            }
            func items(_ path: String) -> [[String: Any]] { (documents[path]?["data"] as? [String: Any])?[path] as? [[String: Any]] ?? [] }
            let areas = items("areas"), zones = items("zones"), spaces = items("spaces")
            #expect(areas.count == 3 && zones.count == 14 && spaces.count == 820)
            #expect(documents["spaces"]?["version"] as? String == "1.1" && documents["spaces"]?["currency"] as? String == "CNY")
            let areaIDs = Set(areas.compactMap { $0["curb_area_id"] as? String }), zoneIDs = Set(zones.compactMap { $0["curb_zone_id"] as? String })
            #expect(Set(areas.flatMap { $0["curb_zone_ids"] as? [String] ?? [] }) == zoneIDs)
            #expect(zones.allSatisfy { Set($0["curb_area_ids"] as? [String] ?? []).isSubset(of: areaIDs) })
            #expect(Set(spaces.compactMap { $0["curb_zone_id"] as? String }).isSubset(of: zoneIDs))
            let parked = try #require(spaces.first { $0["name"] as? String == "10010027" })
            #expect(parked["available"] as? Bool == false && parked["length"] as? Int == 600)
            let segment = try #require(zones.first { $0["user_zone_id"] as? String == "1001" })
            #expect(segment["num_spaces"] as? Int == spaces.filter { $0["curb_zone_id"] as? String == segment["curb_zone_id"] as? String }.count)

            // The ids are the same on every call (and on every server): they are derived from the codes, as RFC 9562
            // version 5 UUIDs (these two as Python's uuid.uuid5 gives them in Curbside's namespace).
            #expect(parked["curb_space_id"] as? String == "20408c78-5726-5b5c-8784-ca7bfb2fb088")
            #expect(segment["curb_zone_id"] as? String == "787a7497-d7b9-5ced-aefc-1bd49490328c")
            let again = try await app.request(.GET, "/cds/curbs/spaces", headers: [("Accept", Self.mediaType)]).json
            #expect(((again["data"] as? [String: Any])?["spaces"] as? [[String: Any]])?.first?["curb_space_id"] as? String == spaces.first?["curb_space_id"] as? String)
        }
    }

    @Test("Single areas, zones and spaces by id, the parent and location filters, and 501 for the optional parts", arguments: StoreKind.testCases)
    func singlesAndFilters(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(BillingFlowTests.noon), configure: { $0.backgroundJobs = false }) { app in
            var validator = JSONSchemaValidator()
            let accept = [("Accept", Self.mediaType)]
            func list(_ path: String, _ query: String = "") async throws -> [[String: Any]] {
                let response = try await app.request(.GET, "/cds/curbs/\(path)\(query)", headers: accept)
                #expect(response.status == 200, "\(path)\(query): \(response.text.prefix(200))")
                return (response.json["data"] as? [String: Any])?[path] as? [[String: Any]] ?? []
            }
            let areas = try await list("areas"), zones = try await list("zones"), spaces = try await list("spaces")
            let area = try #require(areas.first), zone = try #require(zones.first { $0["user_zone_id"] as? String == "1001" })
            let space = try #require(spaces.first { $0["name"] as? String == "10010027" })

            for (path, id) in [("areas", area["curb_area_id"]), ("zones", zone["curb_zone_id"]), ("spaces", space["curb_space_id"])] {
                let id = try #require(id as? String)
                let response = try await app.request(.GET, "/cds/curbs/\(path)/\(id.uppercased())", headers: accept)
                #expect(response.status == 200, "\(path): \(response.text.prefix(200))")
                let pointer = "#/paths/~1curbs~1\(path)~1{id}/get/responses/200/content/application~1json/schema"
                // The same unsatisfiable oneOf as in the list (see above) is set aside for a zone.
                let problems = try validator.problems(response.body, file: Self.curbs, pointer: pointer).filter { $0 != "$.data.geometry: matches 2 of the oneOf schemas" }
                #expect(problems.isEmpty, "\(path): \(problems.prefix(5))")
                let object = try #require(response.json["data"] as? [String: Any])
                #expect(object.keys.sorted() == [areas, zones, spaces][["areas", "zones", "spaces"].firstIndex(of: path)!]
                    .first { $0.values.contains { $0 as? String == id } }?.keys.sorted())
                #expect(try await app.request(.GET, "/cds/curbs/\(path)/\(UUID().uuidString)", headers: accept).errorCode == "curb_\(path.dropLast())_not_found")
            }

            // Parents: a zone's spaces, an area's zones.
            let inZone = try await list("spaces", "?zone=\(zone["curb_zone_id"] as! String)")
            #expect(inZone.count == zone["num_spaces"] as? Int && inZone.allSatisfy { $0["curb_zone_id"] as? String == zone["curb_zone_id"] as? String })
            let inArea = try await list("zones", "?area=\(area["curb_area_id"] as! String)")
            #expect(Set(inArea.compactMap { $0["curb_zone_id"] as? String }) == Set(area["curb_zone_ids"] as? [String] ?? []))

            // Location: a box a metre across holds one bay; a 20 m circle holds its neighbours, nearest first.
            let centre = Self.centre(space)
            let box = try await list("spaces", "?min_lat=\(centre.lat - 0.00001)&min_lng=\(centre.lng - 0.00001)&max_lat=\(centre.lat + 0.00001)&max_lng=\(centre.lng + 0.00001)")
            #expect(box.map { $0["name"] as? String } == ["10010027"])
            let near = try await list("spaces", "?lat=\(centre.lat)&lng=\(centre.lng)&radius=2000")
            let distances = near.map { Self.metres(Self.centre($0), centre) }
            #expect(near.first?["name"] as? String == "10010027" && near.count > 1 && near.count < spaces.count)
            #expect(distances == distances.sorted() && distances.allSatisfy { $0 <= 20.5 })
            #expect(spaces.filter { Self.metres(Self.centre($0), centre) <= 19.5 }.count <= near.count)
            let nearZones = try await list("zones", "?lat=\(centre.lat)&lng=\(centre.lng)&radius=2000")
            #expect(nearZones.first?["curb_zone_id"] as? String == zone["curb_zone_id"] as? String)
            #expect(try await app.request(.GET, "/cds/curbs/areas?min_lat=22", headers: accept).errorCode == "invalid_bounding_box")

            for path in ["objects", "objects/\(UUID().uuidString)", "policies", "policies/\(UUID().uuidString)"] {
                let response = try await app.request(.GET, "/cds/curbs/\(path)", headers: accept)
                #expect(response.status == 501 && response.errorCode == "not_implemented", "\(path)")
            }
        }
    }

    /// The middle of a space's footprint, from its polygon's corners.
    static func centre(_ space: [String: Any]) -> (lat: Double, lng: Double) {
        let corners = ((space["geometry"] as? [String: Any])?["coordinates"] as? [[Double]] ?? []).prefix(4)
        return (corners.map { $0[1] }.reduce(0, +) / 4, corners.map { $0[0] }.reduce(0, +) / 4)
    }

    /// Metres between two nearby points, on a local flat projection.
    static func metres(_ a: (lat: Double, lng: Double), _ b: (lat: Double, lng: Double)) -> Double {
        let metresPerDegree = 111_195.0
        let dx = (a.lng - b.lng) * metresPerDegree * cos(b.lat * .pi / 180), dy = (a.lat - b.lat) * metresPerDegree
        return (dx * dx + dy * dy).squareRoot()
    }
}
