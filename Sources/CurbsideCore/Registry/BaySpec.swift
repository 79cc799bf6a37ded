/// The editable attributes of a bay. Status is changed by actions (suspend,
/// reinstate, retire), not by editing, so every change has a reason on record.
public struct BaySpec: Hashable, Sendable {
    public var code: BayCode
    public var segmentID: String
    public var position: GeoPoint
    public var kind: BayKind
    /// The geomagnetic detector in the bay, if one is fitted.
    public var sensorID: String?
    /// The high-mount camera that watches the bay, if any.
    public var cameraID: String?

    public init(code: BayCode, segmentID: String, position: GeoPoint, kind: BayKind, sensorID: String?, cameraID: String?) {
        self.code = code
        self.segmentID = segmentID
        self.position = position
        self.kind = kind
        self.sensorID = sensorID
        self.cameraID = cameraID
    }
}

extension BaySpec: FieldDiffable {
    public var fieldValues: [(String, String)] {
        [
            ("segment_id", segmentID), ("position", GeoText.point(position)), ("kind", kind.name),
            ("charger_id", kind.charger?.id ?? ""), ("charger_kw", kind.charger.map { GeoText.number($0.powerKW) } ?? ""),
            ("sensor_id", sensorID ?? ""), ("camera_id", cameraID ?? ""),
        ]
    }
}
