/// A WGS-84 position in degrees. GeoJSON order is [longitude, latitude].
public struct GeoPoint: Hashable, Sendable, Codable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// nil unless both coordinates are finite and within WGS-84 range.
    public init?(longitude: Double, latitude: Double) {
        guard latitude.isFinite, longitude.isFinite, (-90...90).contains(latitude), (-180...180).contains(longitude) else {
            return nil
        }
        self.init(latitude: latitude, longitude: longitude)
    }
}
