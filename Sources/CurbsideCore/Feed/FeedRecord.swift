/// One record for the city's parking platform (seed 003 第5条): a stay's
/// entry or exit with its image digests, a correction or void of one already
/// sent, a fee record, a registry change, or a road segment's occupied and
/// free counts. Records of a bay go out in the order they were made.
public struct FeedRecord: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case entry, exit
        /// 数据纠正: a stay already sent changed (a late event, a corrected plate).
        case correction
        /// 数据作废: a stay already sent did not happen.
        case void
        /// 收费记录: a charge, payment or refund of a bill.
        case fee
        /// 静态数据: a zone, road segment or bay created, changed, suspended or retired (to be reported within 48 h).
        case staticChange = "static"
        /// 动态数据: a road segment's occupied and free bay counts, when they change.
        case occupancy
    }

    public var kind: Kind
    /// The bay, or for a registry change or occupancy counts the zone, segment or bay they are about.
    public var bay: String
    /// UTC ms the record was made.
    public var at: Int64
    public var stay: FeedStay?
    public var fee: FeedFee?
    public var change: FeedRegistryChange?
    public var occupancy: FeedOccupancy?

    public init(
        kind: Kind, bay: String, at: Int64, stay: FeedStay? = nil, fee: FeedFee? = nil, change: FeedRegistryChange? = nil, occupancy: FeedOccupancy? = nil
    ) {
        self.kind = kind
        self.bay = bay
        self.at = at
        self.stay = stay
        self.fee = fee
        self.change = change
        self.occupancy = occupancy
    }

    /// What the platform must be told when a stay changes from `before` to `after` (nil: none).
    public static func changes(from before: FeedStay?, to after: FeedStay?, at: Int64) -> [FeedRecord] {
        switch (before, after) {
        case (nil, nil):
            return []
        case let (nil, stay?):
            return [FeedRecord(kind: .entry, bay: stay.bay, at: at, stay: stay)] + (stay.end == nil ? [] : [FeedRecord(kind: .exit, bay: stay.bay, at: at, stay: stay)])
        case let (stay?, nil):
            return [FeedRecord(kind: .void, bay: stay.bay, at: at, stay: stay)]
        case let (old?, new?):
            guard old != new else { return [] }
            var settled = old
            settled.end = new.end
            if old.end == nil, new.end != nil {
                return [FeedRecord(kind: .exit, bay: new.bay, at: at, stay: new)] + (settled == new ? [] : [FeedRecord(kind: .correction, bay: new.bay, at: at, stay: new)])
            }
            return [FeedRecord(kind: .correction, bay: new.bay, at: at, stay: new)]
        }
    }
}
