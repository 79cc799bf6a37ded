import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// The schema checker the CDS tests rely on, against the CDS files themselves:
/// a conforming response passes, and each kind of breach is named with its path.
@Suite("CDS schema checker", .ownThread)
struct CDSSchemaValidatorTests {
    static let curbs = RepositoryPaths.fixtures + "/cds/APIs/Curbs API.yaml"
    static let zones = "#/paths/~1curbs~1areas/get/responses/200/content/application~1json/schema"

    static func body(_ areas: String) -> Data {
        Data(#"{"version":"1.1","time_zone":"Asia/Shanghai","last_updated":1795176000000,"currency":"CNY","data":{"areas":[\#(areas)]}}"#.utf8)
    }

    @Test("A conforming areas response passes; a missing field, a wrong type and a bad nested value are each named")
    func checks() throws {
        var validator = JSONSchemaValidator()
        let area = #"{"curb_area_id":"0eaa505d-c9e1-49ad-9fac-3c745ba58676","geometry":{"type":"Polygon","coordinates":[[112.95,22.76],[112.96,22.76],[112.96,22.77]]},"published_date":1,"last_updated_date":2,"curb_zone_ids":["5b6f8f5d-6a2c-4c3e-9b2d-2f1d0b3c4a5e"]}"#
        #expect(try validator.problems(Self.body(area), file: Self.curbs, pointer: Self.zones) == [])
        let missing = try validator.problems(Self.body(area.replacingOccurrences(of: #","curb_zone_ids":["5b6f8f5d-6a2c-4c3e-9b2d-2f1d0b3c4a5e"]"#, with: "")), file: Self.curbs, pointer: Self.zones)
        #expect(missing == ["$.data.areas[0]: 'curb_zone_ids' is required"])
        let wrongType = try validator.problems(Self.body(area.replacingOccurrences(of: #""published_date":1"#, with: #""published_date":"1""#)), file: Self.curbs, pointer: Self.zones)
        #expect(wrongType == ["$.data.areas[0].published_date: expected integer, got string"])
        let shortPoint = try validator.problems(Self.body(area.replacingOccurrences(of: "[112.95,22.76]", with: "[112.95]")), file: Self.curbs, pointer: Self.zones)
        #expect(shortPoint == ["$.data.areas[0].geometry.coordinates[0]: fewer than 2 items"])
    }
}
