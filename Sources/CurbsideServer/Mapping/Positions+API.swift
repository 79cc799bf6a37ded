import CurbsideAPI
import CurbsideCore

extension Components.Schemas.Position {
    init(_ point: GeoPoint) {
        self.init(longitude: point.longitude, latitude: point.latitude)
    }

    func geoPoint(field: String) throws(APIError) -> GeoPoint {
        guard let point = GeoPoint(longitude: longitude, latitude: latitude) else {
            throw .invalid(RegistryErrorCode.invalidPosition, "\(field) [\(longitude), \(latitude)] is outside WGS-84 range.")
        }
        return point
    }
}

enum PathMapping {
    static func api(_ points: [GeoPoint]) -> Components.Schemas.Path {
        points.map { [$0.longitude, $0.latitude] }
    }

    static func points(_ path: Components.Schemas.Path, field: String) throws(APIError) -> [GeoPoint] {
        var points: [GeoPoint] = []
        for (index, position) in path.enumerated() {
            guard position.count >= 2, let point = GeoPoint(longitude: position[0], latitude: position[1]) else {
                throw .invalid(RegistryErrorCode.invalidPosition, "\(field)[\(index)] must be [longitude, latitude] within WGS-84 range.")
            }
            points.append(point)
        }
        return points
    }
}
