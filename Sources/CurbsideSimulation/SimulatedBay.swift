import CurbsideCore

/// A bay as the simulator needs it: where it is, how busy its zone is, and
/// which devices watch it.
public struct SimulatedBay: Sendable {
    public var code: BayCode
    public var segmentID: String
    public var zoneClass: ZoneClass
    public var position: GeoPoint
    public var sensorID: String?
    public var cameraID: String?

    public init(code: BayCode, segmentID: String, zoneClass: ZoneClass, position: GeoPoint, sensorID: String?, cameraID: String?) {
        self.code = code
        self.segmentID = segmentID
        self.zoneClass = zoneClass
        self.position = position
        self.sensorID = sensorID
        self.cameraID = cameraID
    }

    /// Every bay of a registry file, in code order.
    public static func all(in document: RegistryDocument) -> [SimulatedBay] {
        let zoneOfSegment = Dictionary(uniqueKeysWithValues: document.segments.map { ($0.spec.id, $0.spec.zoneID) })
        let classOfZone = Dictionary(uniqueKeysWithValues: document.zones.map { ($0.spec.id, $0.spec.zoneClass) })
        return document.bays.compactMap { item in
            guard let zone = zoneOfSegment[item.spec.segmentID], let zoneClass = classOfZone[zone] else { return nil }
            let bay = item.spec
            return SimulatedBay(code: bay.code, segmentID: bay.segmentID, zoneClass: zoneClass, position: bay.position, sensorID: bay.sensorID, cameraID: bay.cameraID)
        }
        .sorted { $0.code.rawValue < $1.code.rawValue }
    }
}
