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

    /// The segments to send: those whose counts differ from the ones last sent, and those last sent
    /// `refresh` ms ago or more (so the platform's picture cannot drift from a record it lost), in
    /// segment order. `last` holds each segment's counts last sent and when; counts taken at `now`
    /// never replace counts another server took later.
    public static func due(_ current: [FeedOccupancy], last: [String: (counts: FeedOccupancy, at: Int64)], now: Int64, refresh: Int64) -> [FeedOccupancy] {
        current.filter { counts in
            guard let sent = last[counts.segment] else { return true }
            return sent.at <= now && (sent.counts != counts || now - sent.at >= refresh)
        }.sorted { $0.segment < $1.segment }
    }
}
