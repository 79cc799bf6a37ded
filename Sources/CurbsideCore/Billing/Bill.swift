/// What a stay costs, as issued to the plate after the car left. The bill
/// explains itself: every fen of `chargeFen` is on one of its lines, and a
/// bill that asks for nothing says why.
public struct Bill: Sendable, Equatable, Codable {
    /// Why the amount due is what it is.
    public enum Basis: String, Sendable, Codable {
        /// The tariff's charge for the stay.
        case charged
        /// A vehicle the city does not charge (police plates, the exemption whitelist).
        case exempt
        /// A monthly pass or resident permit covered the stay.
        case permit
    }

    public var number: String
    public var sessionID: String
    public var bay: String
    public var zoneID: String
    public var plate: String
    public var plateColour: PlateColour
    /// UTC ms.
    public var start: Int64
    public var end: Int64
    public var tariffID: String
    public var tariffVersion: Int
    public var vehicle: VehicleClass
    /// What the stay costs at the tariff: the receivable.
    public var chargeFen: Int
    /// Waived at issue: all of the charge for exempt vehicles and permit holders.
    public var waivedFen: Int
    public var basis: Basis
    public var permitID: String?
    public var lines: [BillLine]
    /// Evidence image digests of the session.
    public var evidence: [String]
    /// UTC ms.
    public var issuedAt: Int64
    public var dueAt: Int64

    public var amountDueFen: Int { chargeFen - waivedFen }

    public init(
        number: String, sessionID: String, bay: String, zoneID: String, plate: String, plateColour: PlateColour, start: Int64, end: Int64,
        tariffID: String, tariffVersion: Int, vehicle: VehicleClass, chargeFen: Int, waivedFen: Int, basis: Basis, permitID: String?,
        lines: [BillLine], evidence: [String], issuedAt: Int64, dueAt: Int64
    ) {
        self.number = number
        self.sessionID = sessionID
        self.bay = bay
        self.zoneID = zoneID
        self.plate = plate
        self.plateColour = plateColour
        self.start = start
        self.end = end
        self.tariffID = tariffID
        self.tariffVersion = tariffVersion
        self.vehicle = vehicle
        self.chargeFen = chargeFen
        self.waivedFen = waivedFen
        self.basis = basis
        self.permitID = permitID
        self.lines = lines
        self.evidence = evidence
        self.issuedAt = issuedAt
        self.dueAt = dueAt
    }
}

/// One line of a bill, in words.
public struct BillLine: Sendable, Equatable, Codable {
    /// A `QuoteLine.Kind` raw value, or `waiver`.
    public var kind: String
    /// UTC ms the line covers.
    public var from: Int64
    public var to: Int64
    public var amountFen: Int
    public var text: String

    public init(kind: String, from: Int64, to: Int64, amountFen: Int, text: String) {
        self.kind = kind
        self.from = from
        self.to = to
        self.amountFen = amountFen
        self.text = text
    }
}
