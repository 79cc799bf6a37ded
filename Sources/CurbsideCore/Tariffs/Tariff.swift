/// A tariff scheme as loaded from one file of Tariffs/: everything needed to
/// price a stay in any zone class, for any vehicle class.
public struct Tariff: Sendable {
    /// The rules of one zone class.
    public struct ClassRules: Sendable, Equatable {
        /// Cap per cap cycle, for small vehicles.
        public var capFen: Int?
        /// Windows per day type (indexed by `DayType.rawValue`), sorted by start.
        public var windows: [[TariffWindow]]

        public init(capFen: Int?, windows: [[TariffWindow]]) {
            self.capFen = capFen
            self.windows = windows
        }
    }

    public var header: TariffHeader
    /// Id of the holiday calendar for workdays, non-workdays and holidays; weekdays only when nil.
    public var calendarID: String?
    public var unitScope: UnitScope
    public var tierClock: TierClock
    public var tiersRestart: TierRestart
    public var capPeriod: CapPeriod
    /// Whether caps scale with a vehicle class's rate (a large car's cap doubles with its rates).
    public var capScalesWithRate: Bool
    public var freePeriod: FreePeriod?
    /// Classes 1, 2, 3 at indexes 0, 1, 2.
    public var classes: [ClassRules]
    public var vehicles: [VehicleClass: VehicleRule]
    /// Rates not taken from a published notice.
    public var illustrative: Bool
    /// The semantics chosen where the published rule is ambiguous, in the file's words.
    public var notes: String

    public init(
        header: TariffHeader, calendarID: String?, unitScope: UnitScope, tierClock: TierClock, tiersRestart: TierRestart,
        capPeriod: CapPeriod, capScalesWithRate: Bool, freePeriod: FreePeriod?, classes: [ClassRules],
        vehicles: [VehicleClass: VehicleRule], illustrative: Bool, notes: String
    ) {
        self.header = header
        self.calendarID = calendarID
        self.unitScope = unitScope
        self.tierClock = tierClock
        self.tiersRestart = tiersRestart
        self.capPeriod = capPeriod
        self.capScalesWithRate = capScalesWithRate
        self.freePeriod = freePeriod
        self.classes = classes
        self.vehicles = vehicles
        self.illustrative = illustrative
        self.notes = notes
    }

    public func rules(for zoneClass: ZoneClass) -> ClassRules {
        classes[zoneClass.rawValue - 1]
    }

    /// The rule for a vehicle class: exempt vehicles are never charged; a class the
    /// file does not mention pays the base rates.
    public func rule(for vehicle: VehicleClass) -> (rule: VehicleRule, defined: Bool) {
        if let rule = vehicles[vehicle] { return (rule, true) }
        if vehicle == .exempt { return (.free, false) }
        return (.base, vehicle == .small)
    }
}
