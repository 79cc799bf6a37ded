/// A stretch of one side of one road between two cross streets: the unit a
/// patrol officer walks and the city platform knows as an on-street car park.
public struct RoadSegmentSpec: Hashable, Sendable {
    public var id: String
    public var zoneID: String
    public var roadName: String
    public var side: RoadSide
    /// Cross streets at either end, as a person would give directions.
    public var fromStreet: String
    public var toStreet: String
    /// The kerb line, in walking order; bays are numbered along it.
    public var path: [GeoPoint]

    public init(id: String, zoneID: String, roadName: String, side: RoadSide, fromStreet: String, toStreet: String, path: [GeoPoint]) {
        self.id = id
        self.zoneID = zoneID
        self.roadName = roadName
        self.side = side
        self.fromStreet = fromStreet
        self.toStreet = toStreet
        self.path = path
    }

    /// Address in the form Chinese signage and the city platform use: 人民路(中山路至新华路)北侧.
    public var address: String {
        let between = fromStreet.isEmpty || toStreet.isEmpty ? "" : "(\(fromStreet)至\(toStreet))"
        return roadName + between + side.chineseName
    }
}

extension RoadSegmentSpec: FieldDiffable {
    public var fieldValues: [(String, String)] {
        [
            ("zone_id", zoneID), ("road", roadName), ("side", side.rawValue), ("from", fromStreet),
            ("to", toStreet), ("path", GeoText.path(path)),
        ]
    }
}
