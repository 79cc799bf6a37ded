import CurbsideCore
import Foundation

/// Builds registry GeoJSON documents for tests, placed in the Heshan sample district.
public struct GeoJSONBuilder {
    private var features: [[String: Any]] = []
    /// Segment paths of this document, so bays can be placed beside them.
    private var paths: [String: [GeoPoint]] = [:]
    static let origin = GeoPoint(latitude: 22.7550, longitude: 112.9500)

    public init() {}

    public func zone(id: String, name: String = "测试区", zoneClass: Int = 2, tariff: String = "heshan") -> Self {
        var copy = self
        let o = Self.origin
        let ring = [[o.longitude - 0.01, o.latitude - 0.01], [o.longitude + 0.01, o.latitude - 0.01], [o.longitude + 0.01, o.latitude + 0.01], [o.longitude - 0.01, o.latitude + 0.01], [o.longitude - 0.01, o.latitude - 0.01]]
        copy.features.append([
            "type": "Feature",
            "properties": ["entity": "zone", "id": id, "name": name, "class": zoneClass, "district": "440784", "district_name": "鹤山市沙坪街道",
                           "tariff": tariff, "operator": "测试运营", "service_phone": "0750-0000000"],
            "geometry": ["type": "Polygon", "coordinates": [ring]],
        ])
        return copy
    }

    /// A 200 m east-west kerb line south of the district.
    public func segment(id: String, zone: String, road: String = "测试路", side: String = "north") -> Self {
        var copy = self
        let o = Self.origin
        let path = [GeoPoint(latitude: o.latitude, longitude: o.longitude), GeoPoint(latitude: o.latitude, longitude: o.longitude + 0.00195)]
        copy.paths[id] = path
        copy.features.append([
            "type": "Feature",
            "properties": ["entity": "segment", "id": id, "zone": zone, "road": road, "side": side, "from": "甲路", "to": "乙路"],
            "geometry": ["type": "LineString", "coordinates": path.map { [$0.longitude, $0.latitude] }],
        ])
        return copy
    }

    /// A bay beside `segment` (or at `at`), `offsetMetres` north of its kerb line.
    public func bay(
        code: String, segment: String, at position: GeoPoint? = nil, offsetMetres: Double = 2, kind: String = "normal",
        sensor: String? = nil, camera: String? = nil, status: String? = nil
    ) -> Self {
        var copy = self
        let base = paths[segment]?.first ?? Self.origin
        let point = position ?? GeoPoint(latitude: base.latitude + offsetMetres / 111_195, longitude: base.longitude + 0.0005)
        var properties: [String: Any] = ["entity": "bay", "code": code, "segment": segment, "kind": kind]
        if let sensor { properties["sensor"] = sensor }
        if let camera { properties["camera"] = camera }
        if let status { properties["status"] = status }
        copy.features.append(["type": "Feature", "properties": properties, "geometry": ["type": "Point", "coordinates": [point.longitude, point.latitude]]])
        return copy
    }

    public func raw(_ feature: [String: Any]) -> Self {
        var copy = self
        copy.features.append(feature)
        return copy
    }

    public var object: [String: Any] { ["type": "FeatureCollection", "features": features] }

    public func data() -> Data {
        try! JSONSerialization.data(withJSONObject: object)
    }
}
