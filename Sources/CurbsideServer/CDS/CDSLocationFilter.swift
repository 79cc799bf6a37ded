import CurbsideAPI
import CurbsideCore

/// The CDS location filters: a bounding box (`min_lat`, `min_lng`, `max_lat`,
/// `max_lng`, all four) or a point and a radius in centimetres (`lat`, `lng`,
/// `radius`, all three), never both. A place matches if one of its bays lies
/// inside.
enum CDSLocationFilter: Equatable {
    case box(minLatitude: Double, minLongitude: Double, maxLatitude: Double, maxLongitude: Double)
    case circle(center: GeoPoint, radiusMetres: Double)

    /// The filter a request's query gives; nil when it gives none.
    static func parse(_ query: some CDSLocationQuery) throws -> CDSLocationFilter? {
        try parse(minLat: query.minLat, minLng: query.minLng, maxLat: query.maxLat, maxLng: query.maxLng, lat: query.lat, lng: query.lng, radius: query.radius)
    }

    /// nil when no location filter was given.
    static func parse(
        minLat: Double?, minLng: Double?, maxLat: Double?, maxLng: Double?, lat: Double?, lng: Double?, radius: Double?
    ) throws -> CDSLocationFilter? {
        let box = [minLat, minLng, maxLat, maxLng], point = [lat, lng, radius]
        let boxGiven = box.contains { $0 != nil }, pointGiven = point.contains { $0 != nil }
        if boxGiven && pointGiven {
            throw APIError.badRequest(CDSErrorCode.conflictingLocationFilters, "Give either min_lat, min_lng, max_lat and max_lng, or lat, lng and radius, not both.")
        }
        if boxGiven {
            guard let minLat, let minLng, let maxLat, let maxLng else {
                throw APIError.badRequest(CDSErrorCode.invalidBoundingBox, "A bounding box needs all four of min_lat, min_lng, max_lat and max_lng.")
            }
            guard (-90...90).contains(minLat), (-90...90).contains(maxLat), (-180...180).contains(minLng), (-180...180).contains(maxLng),
                  minLat <= maxLat, minLng <= maxLng else {
                throw APIError.badRequest(CDSErrorCode.invalidBoundingBox, "The bounding box must lie within ±90° latitude and ±180° longitude, minimums first.")
            }
            return .box(minLatitude: minLat, minLongitude: minLng, maxLatitude: maxLat, maxLongitude: maxLng)
        }
        if pointGiven {
            guard let lat, let lng, let radius else {
                throw APIError.badRequest(CDSErrorCode.invalidPointRadius, "A point filter needs all three of lat, lng and radius.")
            }
            guard (-90...90).contains(lat), (-180...180).contains(lng), radius > 0, radius.isFinite else {
                throw APIError.badRequest(CDSErrorCode.invalidPointRadius, "lat must lie within ±90°, lng within ±180°, and radius (centimetres) must be positive.")
            }
            return .circle(center: GeoPoint(latitude: lat, longitude: lng), radiusMetres: radius / 100)
        }
        return nil
    }

    func contains(_ point: GeoPoint) -> Bool {
        switch self {
        case let .box(minLatitude, minLongitude, maxLatitude, maxLongitude):
            (minLatitude...maxLatitude).contains(point.latitude) && (minLongitude...maxLongitude).contains(point.longitude)
        case let .circle(center, radius):
            GeoDistance.metres(center, point) <= radius
        }
    }

    /// Metres from the point filter's centre, by which CDS orders results; nil for a box.
    func distance(_ point: GeoPoint) -> Double? {
        guard case let .circle(center, _) = self else { return nil }
        return GeoDistance.metres(center, point)
    }
}

/// The location parameters CDS list and Metrics operations share.
protocol CDSLocationQuery {
    var minLat: Double? { get }
    var minLng: Double? { get }
    var maxLat: Double? { get }
    var maxLng: Double? { get }
    var lat: Double? { get }
    var lng: Double? { get }
    var radius: Double? { get }
}

extension Operations.ListCDSCurbAreas.Input.Query: CDSLocationQuery {}
extension Operations.ListCDSCurbZones.Input.Query: CDSLocationQuery {}
extension Operations.ListCDSCurbSpaces.Input.Query: CDSLocationQuery {}
