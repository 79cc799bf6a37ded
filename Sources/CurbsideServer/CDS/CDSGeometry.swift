import CurbsideAPI
import CurbsideCore
import Foundation

/// How Curbside's registry is drawn in CDS: bay sizes, bay footprints, and
/// GeoJSON as CDS 1.1 writes it.
enum CDSGeometry {
    /// Bay sizes by kind, in centimetres: a car bay is 6 m by 2.5 m, a disabled bay wider, a loading bay longer.
    static func size(_ kind: BayKind) -> (length: Int, width: Int) {
        switch kind {
        case .normal, .evCharging: (600, 250)
        case .disabled: (600, 350)
        case .loading: (1000, 300)
        }
    }

    /// A square of about 2.5 m around a bay's position, closed, for CDS's polygon geometry.
    static func footprint(_ point: GeoPoint) -> [GeoPoint] {
        let dLat = 0.0000112, dLon = 0.0000112 / cos(point.latitude * .pi / 180)
        let corners = [(-dLat, -dLon), (-dLat, dLon), (dLat, dLon), (dLat, -dLon), (-dLat, -dLon)]
        return corners.map { GeoPoint(latitude: point.latitude + $0.0, longitude: point.longitude + $0.1) }
    }
}

extension Components.Schemas.CDSPolygon {
    /// CDS 1.1 writes a polygon's coordinates as one list of longitude and latitude pairs.
    static func polygon(_ points: [GeoPoint]) -> Self {
        let closed = points.first == points.last ? points : points + points.prefix(1)
        return .init(_type: .polygon, coordinates: closed.map { [$0.longitude, $0.latitude] })
    }
}

extension Components.Schemas.CDSLineString {
    static func lineString(_ points: [GeoPoint]) -> Self {
        .init(_type: .lineString, coordinates: points.map { [$0.longitude, $0.latitude] })
    }
}
