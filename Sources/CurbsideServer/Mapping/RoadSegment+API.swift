import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

extension Components.Schemas.RoadSegment {
    init(_ record: RoadSegmentRecord) {
        let spec = record.spec
        self.init(
            id: spec.id, zoneId: spec.zoneID, road: spec.roadName, side: .init(rawValue: spec.side.rawValue)!,
            from: spec.fromStreet, to: spec.toStreet, path: PathMapping.api(spec.path), address: spec.address,
            lengthM: (GeoDistance.length(of: spec.path) * 10).rounded() / 10,
            lifecycle: .init(record.lifecycle), revision: record.revision,
            createdAt: record.createdAt, updatedAt: record.updatedAt
        )
    }
}

extension Components.Schemas.RoadSegmentInput {
    func spec(id pathID: String?) throws(APIError) -> RoadSegmentSpec {
        if let pathID { try InputValidation.matching(id, path: pathID, field: "id") }
        guard let rawID = pathID ?? id else { throw .invalid(RequestErrorCode.missingField, "id is required to create a road segment.") }
        let points = try PathMapping.points(path, field: "path")
        guard points.count >= 2 else { throw .invalid(RegistryErrorCode.invalidPath, "path needs at least two positions.") }
        return RoadSegmentSpec(
            id: try InputValidation.identifier(rawID, field: "id"),
            zoneID: try InputValidation.identifier(zoneId, field: "zone_id"),
            roadName: try InputValidation.text(road, field: "road"),
            side: RoadSide(rawValue: side.rawValue)!,
            fromStreet: try InputValidation.optionalText(from, field: "from") ?? "",
            toStreet: try InputValidation.optionalText(to, field: "to") ?? "",
            path: points
        )
    }
}
