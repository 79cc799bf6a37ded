import CurbsideCore

/// A CDS object with the points a location filter tests: its geometry's
/// vertices and its bays' positions.
struct CDSLocated<Object> {
    var object: Object
    var points: [GeoPoint]

    /// The objects with a point inside the filter; with a point filter, nearest first (CDS orders by distance).
    static func filter(_ items: [CDSLocated], by location: CDSLocationFilter?) -> [Object] {
        guard let location else { return items.map(\.object) }
        let inside = items.filter { $0.points.contains(where: location.contains) }
        guard case .circle = location else { return inside.map(\.object) }
        let distances = inside.map { item in item.points.compactMap(location.distance).min() ?? 0 }
        return zip(inside, distances).enumerated().sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }.map(\.element.0.object)
    }
}
