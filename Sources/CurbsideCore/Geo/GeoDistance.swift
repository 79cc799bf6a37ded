import Foundation

/// Distances on the WGS-84 sphere approximation, good to well under a metre at kerb scale.
public enum GeoDistance {
    static let earthRadius = 6_371_008.8

    /// Great-circle distance in metres (haversine).
    public static func metres(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let φ1 = a.latitude * .pi / 180, φ2 = b.latitude * .pi / 180
        let dφ = φ2 - φ1
        let dλ = (b.longitude - a.longitude) * .pi / 180
        let h = sin(dφ / 2) * sin(dφ / 2) + cos(φ1) * cos(φ2) * sin(dλ / 2) * sin(dλ / 2)
        return 2 * earthRadius * asin(min(1, sqrt(h)))
    }

    /// Shortest distance in metres from a point to a polyline, on a local flat projection
    /// around the point (street segments are short enough for that to be exact to centimetres).
    public static func metres(from point: GeoPoint, toPath path: [GeoPoint]) -> Double {
        guard let first = path.first else { return .infinity }
        guard path.count > 1 else { return metres(point, first) }
        let metresPerDegreeLat = earthRadius * .pi / 180
        let metresPerDegreeLon = metresPerDegreeLat * cos(point.latitude * .pi / 180)
        func local(_ p: GeoPoint) -> (x: Double, y: Double) {
            ((p.longitude - point.longitude) * metresPerDegreeLon, (p.latitude - point.latitude) * metresPerDegreeLat)
        }
        var best = Double.infinity
        for (a, b) in zip(path, path.dropFirst()) {
            let p = local(a), q = local(b)
            let dx = q.x - p.x, dy = q.y - p.y
            let lengthSquared = dx * dx + dy * dy
            let t = lengthSquared == 0 ? 0 : max(0, min(1, -(p.x * dx + p.y * dy) / lengthSquared))
            let x = p.x + t * dx, y = p.y + t * dy
            best = min(best, (x * x + y * y).squareRoot())
        }
        return best
    }

    /// Length of a polyline in metres.
    public static func length(of path: [GeoPoint]) -> Double {
        zip(path, path.dropFirst()).reduce(0) { $0 + metres($1.0, $1.1) }
    }
}
