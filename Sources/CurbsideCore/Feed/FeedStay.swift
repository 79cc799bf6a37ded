/// A stay as the platform sees it: times in UTC ms, the plate, and the digests of its evidence images.
public struct FeedStay: Sendable, Equatable, Codable {
    public var session: String
    public var bay: String
    public var zone: String
    public var start: Int64
    public var end: Int64?
    public var plate: String?
    public var plateColour: String?
    public var images: [String]

    public init(session: String, bay: String, zone: String, start: Int64, end: Int64?, plate: String?, plateColour: String?, images: [String]) {
        self.session = session
        self.bay = bay
        self.zone = zone
        self.start = start
        self.end = end
        self.plate = plate
        self.plateColour = plateColour
        self.images = images
    }

    enum CodingKeys: String, CodingKey {
        case session, bay, zone, start, end, plate, images
        case plateColour = "plate_colour"
    }
}
