/// The price of a stay and why: every fen of `amountFen` is on one of the lines.
public struct Quote: Sendable, Equatable {
    /// Things the driver and the operator should know about how the quote was made.
    public struct Notes: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// The tariff has no rule for the vehicle class, so it paid the base rates.
        public static let vehiclePricedAsSmall = Notes(rawValue: 1)
        /// Part of the stay falls in a year the holiday calendar does not cover:
        /// those days were typed by weekday alone.
        public static let calendarNotCovered = Notes(rawValue: 2)
        /// The stay was longer than the free period allows, so the free period did not apply.
        public static let freePeriodLost = Notes(rawValue: 4)
    }

    public var tariffID: String
    public var tariffVersion: Int
    public var calendarID: String?
    public var calendarVersion: Int?
    public var zoneClass: ZoneClass
    public var vehicle: VehicleClass
    /// UTC seconds.
    public var from: Int64
    public var to: Int64
    public var amountFen: Int
    public var lines: [QuoteLine]
    public var notes: Notes
}

/// One line of a quote. Lines carry indexes and numbers only, so quoting stays
/// cheap; `QuoteText` turns them into sentences with the tariff's labels.
public struct QuoteLine: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A vehicle that is never charged.
        case exempt
        /// The tariff's free period covers the whole stay, or its first minutes.
        case freePeriod = "free_period"
        /// Free time of the vehicle class at the start of the stay.
        case vehicleFreeTime = "vehicle_free_time"
        /// Time in an explicitly free window.
        case freeWindow = "free_window"
        /// Units of a metered window at one tier's price.
        case metered
        /// Fixed-price blocks of a flat window.
        case flat
        /// The vehicle class's free charged time of the day (negative).
        case dailyFreeTime = "daily_free_time"
        /// The charge of a cap cycle brought down to the cap (negative).
        case cap
        /// The vehicle class's percentage discount (negative).
        case discount
    }

    public var kind: Kind
    /// UTC seconds the line covers.
    public var from: Int64
    public var to: Int64
    public var units: Int
    public var unitMinutes: Int
    public var unitPriceFen: Int
    public var amountFen: Int
    /// The day type whose window priced the line.
    public var dayType: DayType?
    /// Index of the window among its day type's windows, or -1.
    public var window: Int
    /// Index of the tier within the window, or -1.
    public var tier: Int
    /// The cap cycle: a local day number (calendar-day caps) or the 24-hour cycle since arrival.
    public var cycle: Int

    public init(
        kind: Kind, from: Int64, to: Int64, units: Int = 0, unitMinutes: Int = 0, unitPriceFen: Int = 0, amountFen: Int = 0,
        dayType: DayType? = nil, window: Int = -1, tier: Int = -1, cycle: Int = 0
    ) {
        self.kind = kind
        self.from = from
        self.to = to
        self.units = units
        self.unitMinutes = unitMinutes
        self.unitPriceFen = unitPriceFen
        self.amountFen = amountFen
        self.dayType = dayType
        self.window = window
        self.tier = tier
        self.cycle = cycle
    }
}

/// Why a stay cannot be priced.
public enum QuoteError: Error, Equatable, Sendable, CustomStringConvertible {
    case endsBeforeStart
    case tooLong(days: Int)

    public var description: String {
        switch self {
        case .endsBeforeStart: "The stay ends before it starts."
        case let .tooLong(days): "Stays of more than \(days) days are not priced; they need a look by patrol first."
        }
    }
}
