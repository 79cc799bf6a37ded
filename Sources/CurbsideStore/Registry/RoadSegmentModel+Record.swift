import CurbsideCore
import Foundation

extension RoadSegmentModel {
    func record() throws -> RoadSegmentRecord {
        guard let id, let side = RoadSide(rawValue: side), let lifecycle = Lifecycle(rawValue: lifecycle) else {
            throw StoreCorruption(what: "road segment \(id ?? "?")")
        }
        let spec = RoadSegmentSpec(
            id: id, zoneID: zoneID, roadName: roadName, side: side, fromStreet: fromStreet, toStreet: toStreet,
            path: try GeoJSONPositions.decode(path)
        )
        return RoadSegmentRecord(
            spec: spec, zoneID: zoneID, lifecycle: lifecycle, suspension: nil, revision: revision,
            createdAt: createdAt, updatedAt: updatedAt
        )
    }

    func apply(_ spec: RoadSegmentSpec) {
        id = spec.id
        zoneID = spec.zoneID
        roadName = spec.roadName
        side = spec.side.rawValue
        fromStreet = spec.fromStreet
        toStreet = spec.toStreet
        path = GeoJSONPositions.encode(spec.path)
    }
}
