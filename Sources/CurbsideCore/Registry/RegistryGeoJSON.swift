import Foundation

/// Reads the registry's GeoJSON format (docs/registry-geojson.md): one
/// FeatureCollection whose features are zones (Polygon), road segments
/// (LineString) and bays (Point), told apart by the `entity` property.
/// Properties are flat so that QGIS shows and edits them as table columns.
public enum RegistryGeoJSON {
    /// Every problem in the file is reported, not just the first. A zone without
    /// a `time_zone` keeps the city's.
    public static func read(_ data: Data, cityTimeZone: String) -> (RegistryDocument, [ImportIssue]) {
        var document = RegistryDocument()
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            return (document, [ImportIssue(index: nil, code: "invalid_json", message: "The file is not valid JSON.")])
        }
        guard let collection = root as? [String: Any], collection["type"] as? String == "FeatureCollection",
              let features = collection["features"] as? [Any]
        else {
            return (document, [ImportIssue(index: nil, code: "not_feature_collection", message: "The file must be a GeoJSON FeatureCollection with a features array.")])
        }
        var issues: [ImportIssue] = []
        for (index, element) in features.enumerated() {
            var reader = FeatureReader(index: index)
            guard let feature = element as? [String: Any], feature["type"] as? String == "Feature",
                  let properties = feature["properties"] as? [String: Any]
            else {
                issues.append(ImportIssue(index: index, code: "not_a_feature", message: "Expected a Feature with a properties object."))
                continue
            }
            reader.properties = properties
            reader.geometry = feature["geometry"] as? [String: Any]
            switch properties["entity"] as? String {
            case "zone":
                if let item = reader.zone(cityTimeZone: cityTimeZone) {
                    document.zones.append(item)
                } else if let id = reader.id {
                    document.unreadableZones.insert(id)
                }
            case "segment":
                if let item = reader.segment() {
                    document.segments.append(item)
                } else if let id = reader.id {
                    document.unreadableSegments.insert(id)
                }
            case "bay":
                if let item = reader.bay() { document.bays.append(item) }
            case let other:
                reader.issue("unknown_entity", "The entity property must be zone, segment or bay, not \(other.map { "'\($0)'" } ?? "missing").")
            }
            issues += reader.issues
        }
        return (document, issues)
    }
}

/// Reads one feature's properties and geometry, noting every problem it meets.
struct FeatureReader {
    let index: Int
    var properties: [String: Any] = [:]
    var geometry: [String: Any]?
    var issues: [ImportIssue] = []
    var id: String?

    init(index: Int) {
        self.index = index
    }

    mutating func issue(_ code: String, _ message: String) {
        issues.append(ImportIssue(index: index, id: id, code: code, message: message))
    }

    mutating func string(_ key: String, default fallback: String? = nil) -> String? {
        switch properties[key] {
        case let text as String where !text.trimmingCharacters(in: .whitespaces).isEmpty:
            return text.trimmingCharacters(in: .whitespaces)
        case nil, is NSNull, "" as String:
            if let fallback { return fallback }
            issue("missing_property", "The \(key) property is missing.")
        default:
            issue("invalid_property", "The \(key) property must be text.")
        }
        return nil
    }

    func optionalString(_ key: String) -> String? {
        (properties[key] as? String).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    mutating func identifier(_ key: String) -> String? {
        guard let text = string(key) else { return nil }
        guard RegistryID.isValid(text) else {
            issue("invalid_property", "The \(key) '\(text)' must be 1-\(RegistryID.maxLength) letters, digits, '-', '_', '.' or ':'.")
            return nil
        }
        return text
    }

    mutating func optionalIdentifier(_ key: String) -> String?? {
        guard let text = optionalString(key) else { return .some(nil) }
        guard RegistryID.isValid(text) else {
            issue("invalid_property", "The \(key) '\(text)' must be 1-\(RegistryID.maxLength) letters, digits, '-', '_', '.' or ':'.")
            return nil
        }
        return .some(text)
    }

    mutating func lifecycle() -> Lifecycle?? {
        guard let text = optionalString("status") else { return .some(nil) }
        guard let value = Lifecycle(rawValue: text) else {
            issue("invalid_property", "The status must be active or retired, not '\(text)'; suspensions are set through the API.")
            return nil
        }
        return .some(value)
    }

    mutating func coordinates(_ expected: String) -> Any? {
        guard let geometry else {
            issue("invalid_geometry", "A \(expected) geometry is required.")
            return nil
        }
        guard geometry["type"] as? String == expected, let coordinates = geometry["coordinates"] else {
            issue("invalid_geometry", "The geometry must be a \(expected), not \(geometry["type"] as? String ?? "unknown").")
            return nil
        }
        return coordinates
    }

    mutating func point(_ value: Any) -> GeoPoint? {
        guard let pair = value as? [Any], pair.count >= 2, let lon = Self.double(pair[0]), let lat = Self.double(pair[1]) else {
            issue("invalid_geometry", "A position must be [longitude, latitude].")
            return nil
        }
        guard let point = GeoPoint(longitude: lon, latitude: lat) else {
            issue("invalid_geometry", "[\(lon), \(lat)] is outside WGS-84 range.")
            return nil
        }
        return point
    }

    mutating func path(_ value: Any?) -> [GeoPoint]? {
        guard let value, let positions = value as? [Any] else {
            issue("invalid_geometry", "Coordinates must be an array of positions.")
            return nil
        }
        var points: [GeoPoint] = []
        for position in positions {
            guard let point = point(position) else { return nil }
            points.append(point)
        }
        return points
    }

    static func double(_ value: Any) -> Double? {
        if value is Bool { return nil }
        if let number = value as? Double { return number }
        if let number = value as? Int { return Double(number) }
        return (value as? NSNumber)?.doubleValue
    }

    mutating func zone(cityTimeZone: String) -> RegistryDocument.Item<ZoneSpec>? {
        id = properties["id"] as? String
        let ownID = identifier("id")
        let name = string("name")
        let zoneClass: ZoneClass? = switch properties["class"] {
        case let number as Int: ZoneClass(rawValue: number)
        case let text as String: Int(text).flatMap(ZoneClass.init)
        default: nil
        }
        if zoneClass == nil { issue("invalid_property", "The class must be 1, 2 or 3.") }
        let districtText = string("district")
        let district = districtText.flatMap { DivisionCode($0) }
        if let districtText, district == nil {
            issue("invalid_property", "The district '\(districtText)' is not a 6-digit GB/T 2260 division code.")
        }
        let districtName = string("district_name")
        let tariff = identifier("tariff")
        let timeZone = string("time_zone", default: cityTimeZone)
        if let timeZone, TimeZone(identifier: timeZone) == nil {
            issue("invalid_property", "The time_zone '\(timeZone)' is not an IANA time zone.")
        }
        let operatorName = string("operator")
        let phone = string("service_phone")
        let hours = string("service_hours", default: "00:00-24:00")
        let lifecycle = lifecycle()
        var ring: [GeoPoint]?
        if let coordinates = coordinates("Polygon") {
            if let rings = coordinates as? [Any], let outer = rings.first {
                ring = path(outer)
                if let points = ring, points.count < 4 || points.first != points.last {
                    issue("invalid_geometry", "A polygon ring needs at least 4 positions and must end where it starts.")
                    ring = nil
                }
            } else {
                issue("invalid_geometry", "A Polygon's coordinates are an array of rings.")
            }
        }
        guard let ownID, let name, let zoneClass, let district, let districtName, let tariff, let timeZone,
              let operatorName, let phone, let hours, let lifecycle, let ring, issues.isEmpty
        else { return nil }
        let spec = ZoneSpec(
            id: ownID, name: name, zoneClass: zoneClass, district: district, districtName: districtName,
            tariffID: tariff, timeZone: timeZone, operatorName: operatorName, servicePhone: phone,
            serviceHours: hours, boundary: ring
        )
        return .init(index: index, spec: spec, lifecycle: lifecycle)
    }

    mutating func segment() -> RegistryDocument.Item<RoadSegmentSpec>? {
        id = properties["id"] as? String
        let ownID = identifier("id")
        let zone = identifier("zone")
        let road = string("road")
        let sideText = string("side")
        let side = sideText.flatMap(RoadSide.init(rawValue:))
        if let sideText, side == nil { issue("invalid_property", "The side must be north, south, east or west, not '\(sideText)'.") }
        let from = optionalString("from") ?? ""
        let to = optionalString("to") ?? ""
        let lifecycle = lifecycle()
        var line: [GeoPoint]?
        if let coordinates = coordinates("LineString") {
            line = path(coordinates)
            if let points = line, points.count < 2 {
                issue("invalid_geometry", "A LineString needs at least 2 positions.")
                line = nil
            }
        }
        guard let ownID, let zone, let road, let side, let lifecycle, let line, issues.isEmpty else { return nil }
        let spec = RoadSegmentSpec(id: ownID, zoneID: zone, roadName: road, side: side, fromStreet: from, toStreet: to, path: line)
        return .init(index: index, spec: spec, lifecycle: lifecycle)
    }

    mutating func bay() -> RegistryDocument.Item<BaySpec>? {
        let rawCode = (properties["code"] as? String) ?? (properties["code"] as? Int).map(String.init)
        id = rawCode
        var code: BayCode?
        if let rawCode {
            do {
                code = try BayCode(parsing: rawCode)
            } catch {
                issue(error.code, error.description)
            }
        } else {
            issue("missing_property", "The code property is missing.")
        }
        let segment = identifier("segment")
        let kindName = optionalString("kind") ?? "normal"
        let chargerID = optionalString("charger_id")
        let power = properties["charger_kw"].flatMap(Self.double)
        let kind = BayKind(name: kindName, chargerID: chargerID, powerKW: power)
        if kind == nil {
            if !BayKind.names.contains(kindName) {
                issue("invalid_property", "The kind must be one of \(BayKind.names.joined(separator: ", ")), not '\(kindName)'.")
            } else if kindName == "ev_charging" {
                issue("invalid_property", "An ev_charging bay needs charger_id and a positive charger_kw.")
            } else {
                issue("invalid_property", "Only ev_charging bays have charger_id and charger_kw.")
            }
        }
        let sensor = optionalIdentifier("sensor")
        let camera = optionalIdentifier("camera")
        let lifecycle = lifecycle()
        var position: GeoPoint?
        if let coordinates = coordinates("Point") { position = point(coordinates) }
        guard let code, let segment, let kind, let sensor, let camera, let lifecycle, let position, issues.isEmpty else { return nil }
        let spec = BaySpec(code: code, segmentID: segment, position: position, kind: kind, sensorID: sensor, cameraID: camera)
        return .init(index: index, spec: spec, lifecycle: lifecycle)
    }
}
