/// The kinds of day a tariff can price differently.
public enum DayType: Int, Sendable, CaseIterable, CustomStringConvertible {
    case workday = 0
    /// Weekends that are not make-up working days.
    case nonWorkday = 1
    /// Days off of a public holiday period, weekends inside it included.
    case holiday = 2

    public var description: String {
        switch self {
        case .workday: "workday"
        case .nonWorkday: "non-workday"
        case .holiday: "holiday"
        }
    }
}
