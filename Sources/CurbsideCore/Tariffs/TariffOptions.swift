/// How part units are charged.
public enum UnitRounding: String, Sendable, Codable, CaseIterable {
    /// A unit is charged once it has begun (不足一个计费单位按一个单位计).
    case started
    /// Only units that have run their full length are charged (Beijing).
    case completed
}

/// Over what units are counted.
public enum UnitScope: String, Sendable, Codable, CaseIterable {
    /// Units run on continuously over the stay's charged time, so a unit begun
    /// before a free night is finished the next morning rather than charged twice.
    case stay
    /// Each charged period (one occurrence of a window) is rounded on its own.
    case period
}

/// What the duration tiers ("first hour", "after 3 h") measure.
public enum TierClock: String, Sendable, Codable, CaseIterable {
    /// Time parked inside charged windows.
    case charged
    /// Time since arrival, free hours included.
    case stay
}

/// When the duration tiers start again from the first.
public enum TierRestart: String, Sendable, Codable, CaseIterable {
    case never
    /// With each cap cycle (a new calendar day, or a new 24 h from arrival).
    case cycle
    /// With each local calendar day.
    case day
}

/// The period a cap limits.
public enum CapPeriod: String, Sendable, Codable, CaseIterable {
    /// Each local calendar day.
    case calendarDay = "calendar_day"
    /// Each 24 hours from arrival: the first cycle ends 24 h after arrival, then a new one starts.
    case rolling24h = "rolling_24h"
}

/// A free period at the start of every stay.
public struct FreePeriod: Sendable, Equatable {
    public enum Scope: String, Sendable, Codable, CaseIterable {
        /// A stay of up to `minutes` is free; a longer one pays from arrival (原停放时间一并计时收费).
        case wholeStay = "whole_stay"
        /// The first `minutes` of every stay are free; the rest is charged.
        case firstMinutes = "first_minutes"
    }

    public var minutes: Int
    public var scope: Scope
    /// Stays longer than this lose the free period (Zhumadian: 24 h).
    public var lostAfterHours: Int?

    public init(minutes: Int, scope: Scope, lostAfterHours: Int?) {
        self.minutes = minutes
        self.scope = scope
        self.lostAfterHours = lostAfterHours
    }
}
