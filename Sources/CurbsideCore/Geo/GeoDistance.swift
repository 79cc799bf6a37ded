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

    /// Shortest distance in metres from a point to a polyline.
    public static func metres(from point: GeoPoint, toPath path: [GeoPoint]) -> Double {
        projection(of: point, onto: path).offset
    }

    /// Where a point falls on a polyline: its distance from the line (`offset`) and
    /// how far along the line its foot lies (`chainage`), both in metres. Works on a
    /// local flat projection around the point, exact to centimetres at street scale.
    public static func projection(of point: GeoPoint, onto path: [GeoPoint]) -> (offset: Double, chainage: Double) {
        guard let first = path.first else { return (.infinity, 0) }
        guard path.count > 1 else { return (metres(point, first), 0) }
        let metresPerDegreeLat = earthRadius * .pi / 180
        let metresPerDegreeLon = metresPerDegreeLat * cos(point.latitude * .pi / 180)
        func local(_ p: GeoPoint) -> (x: Double, y: Double) {
            ((p.longitude - point.longitude) * metresPerDegreeLon, (p.latitude - point.latitude) * metresPerDegreeLat)
        }
        var best = (offset: Double.infinity, chainage: 0.0)
        var walked = 0.0
        for (a, b) in zip(path, path.dropFirst()) {
            let p = local(a), q = local(b)
            let dx = q.x - p.x, dy = q.y - p.y
            let lengthSquared = dx * dx + dy * dy
            let t = lengthSquared == 0 ? 0 : max(0, min(1, -(p.x * dx + p.y * dy) / lengthSquared))
            let x = p.x + t * dx, y = p.y + t * dy
            let offset = (x * x + y * y).squareRoot()
            let length = lengthSquared.squareRoot()
            if offset < best.offset { best = (offset, walked + t * length) }
            walked += length
        }
        return best
    }

    /// Length of a polyline in metres.
    public static func length(of path: [GeoPoint]) -> Double {
        zip(path, path.dropFirst()).reduce(0) { $0 + metres($1.0, $1.1) }
    }

    /// The point halfway along a polyline, where a segment is pinned on a map.
    public static func midpoint(of path: [GeoPoint]) -> GeoPoint {
        guard let first = path.first else { return GeoPoint(latitude: 0, longitude: 0) }
        var remaining = length(of: path) / 2
        for (a, b) in zip(path, path.dropFirst()) {
            let step = metres(a, b)
            if step >= remaining, step > 0 {
                let t = remaining / step
                return GeoPoint(latitude: a.latitude + t * (b.latitude - a.latitude), longitude: a.longitude + t * (b.longitude - a.longitude))
            }
            remaining -= step
        }
        return path.last ?? first
    }
}
