/// The vehicle classes tariffs price differently.
public enum VehicleClass: String, Sendable, Codable, CaseIterable {
    /// The base rates: small passenger cars (blue plates).
    case small
    /// Large vehicles (yellow plates): a multiple of the base rates.
    case large
    /// New-energy vehicles (green plates): a discount, free time each day, or both.
    case nev
    /// Vehicles of drivers with a disability permit.
    case disabled
    /// Police, fire, ambulance and other special-service vehicles on duty: never charged.
    case exempt
}

/// How one vehicle class's charge differs from the base rates.
public struct VehicleRule: Sendable, Equatable {
    /// Rates (and caps) as a percentage of the base: 200 for double.
    public var ratePercent: Int
    /// Discount on the charge of each cap cycle, in percent.
    public var percentOff: Int
    /// Minutes of charged time free on each local day (Shenzhen: new-energy cars' first hour).
    public var freeMinutesPerDay: Int
    /// Minutes free at the start of every stay (Qinzhou: 2 h for disabled drivers).
    public var firstMinutesFree: Int
    public var exempt: Bool

    public init(ratePercent: Int = 100, percentOff: Int = 0, freeMinutesPerDay: Int = 0, firstMinutesFree: Int = 0, exempt: Bool = false) {
        self.ratePercent = ratePercent
        self.percentOff = percentOff
        self.freeMinutesPerDay = freeMinutesPerDay
        self.firstMinutesFree = firstMinutesFree
        self.exempt = exempt
    }

    public static let base = VehicleRule()
    public static let free = VehicleRule(exempt: true)
}
