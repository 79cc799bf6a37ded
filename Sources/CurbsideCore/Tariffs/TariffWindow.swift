/// A duration tier: from `fromMinute` until `untilMinute` (open-ended when nil)
/// on the tier clock, `priceFen` per unit of `unitMinutes`.
public struct TariffTier: Sendable, Equatable {
    public var fromMinute: Int
    public var untilMinute: Int?
    public var unitMinutes: Int
    public var priceFen: Int

    public init(fromMinute: Int, untilMinute: Int?, unitMinutes: Int, priceFen: Int) {
        self.fromMinute = fromMinute
        self.untilMinute = untilMinute
        self.unitMinutes = unitMinutes
        self.priceFen = priceFen
    }
}

/// How time inside a window is priced.
public enum WindowPricing: Sendable, Equatable {
    /// Explicitly free (a free night, say); time outside every window is free too.
    case free
    /// Units priced by duration tiers.
    case metered(tiers: [TariffTier])
    /// A fixed price per block of time counted from the start of each occurrence (1 yuan per 2 h at night).
    case flat(blockMinutes: Int, priceFen: Int)
}

/// A time-of-day window of one day type: from `startMinute` to `endMinute`
/// after local midnight. A window crossing midnight ends after 1440 and
/// belongs to the day it starts on.
public struct TariffWindow: Sendable, Equatable {
    public var startMinute: Int
    public var endMinute: Int
    public var pricing: WindowPricing
    public var rounding: UnitRounding

    public init(startMinute: Int, endMinute: Int, pricing: WindowPricing, rounding: UnitRounding) {
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.pricing = pricing
        self.rounding = rounding
    }

    /// "08:00-20:00" as the tariff file writes it.
    public var label: String {
        func clock(_ minute: Int) -> String {
            let hours = minute / 60, minutes = minute % 60
            return (hours < 10 ? "0" : "") + "\(hours):" + (minutes < 10 ? "0" : "") + "\(minutes)"
        }
        return clock(startMinute) + "-" + clock(endMinute == 1440 ? 1440 : endMinute % 1440)
    }
}
