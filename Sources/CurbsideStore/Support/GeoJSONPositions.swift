import CurbsideCore
import Foundation

/// Paths and rings are stored as GeoJSON position arrays, the form QGIS and
/// every map library read, rather than in a spatial type only PostGIS has.
enum GeoJSONPositions {
    static func encode(_ points: [GeoPoint]) -> String {
        "[" + points.map { "[\(GeoText.number($0.longitude)),\(GeoText.number($0.latitude))]" }.joined(separator: ",") + "]"
    }

    static func decode(_ text: String) throws -> [GeoPoint] {
        guard let pairs = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[Double]] else {
            throw StoreCorruption(what: "positions '\(text.prefix(40))'")
        }
        return try pairs.map { pair in
            guard pair.count >= 2, let point = GeoPoint(longitude: pair[0], latitude: pair[1]) else {
                throw StoreCorruption(what: "position \(pair)")
            }
            return point
        }
    }
}

/// A stored value that no longer reads as its type: a bug or a hand edit, never user input.
public struct StoreCorruption: Error, CustomStringConvertible {
    public var what: String
    public var description: String { "Stored data does not read back: \(what)" }
}
