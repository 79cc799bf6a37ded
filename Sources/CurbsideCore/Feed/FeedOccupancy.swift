/// 动态数据: a road segment's open bays and how many are occupied and free
/// (seed 003 第5条 and 第6条(五)), charging bays apart. A bay whose occupancy
/// no device currently reports is unknown, never free.
public struct FeedOccupancy: Sendable, Equatable, Codable {
    public var segment: String
    public var zone: String
    public var bays: Int
    public var occupied: Int
    public var free: Int
    public var unknown: Int
    public var evBays: Int
    public var evFree: Int

    public init(segment: String, zone: String, bays: Int, occupied: Int, free: Int, unknown: Int, evBays: Int, evFree: Int) {
        self.segment = segment
        self.zone = zone
        self.bays = bays
        self.occupied = occupied
        self.free = free
        self.unknown = unknown
        self.evBays = evBays
        self.evFree = evFree
    }

    enum CodingKeys: String, CodingKey {
        case segment, zone, bays, occupied, free, unknown
        case evBays = "ev_bays", evFree = "ev_free"
    }

    /// The segments whose counts differ from those last sent (all of them when `everything`), in segment order.
    public static func changed(_ current: [FeedOccupancy], since previous: [String: FeedOccupancy], everything: Bool) -> [FeedOccupancy] {
        current.filter { everything || previous[$0.segment] != $0 }.sorted { $0.segment < $1.segment }
    }
}
