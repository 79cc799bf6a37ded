/// The compass side of the road the bays of a segment are on. A road with
/// bays on both sides has one segment per side, so patrol walks each separately.
public enum RoadSide: String, Sendable, Codable, CaseIterable {
    case north, south, east, west

    /// How a Chinese address names the side, e.g. 北侧.
    public var chineseName: String {
        switch self {
        case .north: "北侧"
        case .south: "南侧"
        case .east: "东侧"
        case .west: "西侧"
        }
    }
}
