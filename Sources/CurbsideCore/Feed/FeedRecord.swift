/// One record for the city's parking platform (seed 003 第5条): a stay's
/// entry or exit with its image digests, a correction or void of one already
/// sent, or a fee record. Records of a bay go out in the order they were made.
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
    }

    public var kind: Kind
    public var bay: String
    /// UTC ms the record was made.
    public var at: Int64
    public var stay: FeedStay?
    public var fee: FeedFee?
    public var change: FeedRegistryChange?

    public init(kind: Kind, bay: String, at: Int64, stay: FeedStay? = nil, fee: FeedFee? = nil, change: FeedRegistryChange? = nil) {
        self.kind = kind
        self.bay = bay
        self.at = at
        self.stay = stay
        self.fee = fee
        self.change = change
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

/// A fee record: receivable, received (with its payment type) or refunded money of one bill.
public struct FeedFee: Sendable, Equatable, Codable {
    public var bill: String
    public var session: String
    public var kind: LedgerEntry.Kind
    public var amountFen: Int
    /// The payment channel of money received or refunded.
    public var paymentType: PaymentChannel?

    public init(bill: String, session: String, kind: LedgerEntry.Kind, amountFen: Int, paymentType: PaymentChannel?) {
        self.bill = bill
        self.session = session
        self.kind = kind
        self.amountFen = amountFen
        self.paymentType = paymentType
    }

    enum CodingKeys: String, CodingKey {
        case bill, session, kind
        case amountFen = "amount_fen"
        case paymentType = "payment_type"
    }
}

/// A change to the registry's static data: which zone, road segment or bay, what was done, and each field before and after.
public struct FeedRegistryChange: Sendable, Equatable, Codable {
    public var entity: String
    public var id: String
    public var action: String
    public var fields: [FieldChange]
    public var reason: String?

    public init(entity: String, id: String, action: String, fields: [FieldChange], reason: String?) {
        self.entity = entity
        self.id = id
        self.action = action
        self.fields = fields
        self.reason = reason
    }
}
