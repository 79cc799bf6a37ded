/// Public holidays and make-up working days (调休) as the State Council
/// publishes them each year. Outside the years it covers, Saturdays and
/// Sundays are non-workdays and every other day a workday, and quotes say so.
public struct HolidayCalendar: Sendable {
    public let id: String
    public let version: Int
    public let name: String
    public let years: ClosedRange<Int>
    private let firstDay: Int
    private let types: [UInt8]

    /// - Parameters:
    ///   - holidays: days off of holiday periods.
    ///   - workdays: weekend days that are working days.
    public init(id: String, version: Int, name: String, years: ClosedRange<Int>, holidays: Set<LocalDate>, workdays: Set<LocalDate>) {
        self.id = id
        self.version = version
        self.name = name
        self.years = years
        firstDay = LocalDate(year: years.lowerBound, month: 1, day: 1)!.dayNumber
        let lastDay = LocalDate(year: years.upperBound, month: 12, day: 31)!.dayNumber
        var types = [UInt8](repeating: 0, count: lastDay - firstDay + 1)
        for index in types.indices {
            types[index] = UInt8(Self.weekdayRule(firstDay + index).rawValue)
        }
        for date in workdays { types[date.dayNumber - firstDay] = UInt8(DayType.workday.rawValue) }
        for date in holidays { types[date.dayNumber - firstDay] = UInt8(DayType.holiday.rawValue) }
        self.types = types
    }

    /// The type of a local day (days since 1970-01-01), and whether the calendar covers it.
    @inline(__always)
    public func dayType(ofDay day: Int) -> (type: DayType, covered: Bool) {
        let index = day - firstDay
        guard index >= 0, index < types.count else { return (Self.weekdayRule(day), false) }
        return (DayType(rawValue: Int(types[index]))!, true)
    }

    @inline(__always)
    public static func weekdayRule(_ day: Int) -> DayType {
        let weekday = LocalDate.weekday(ofDay: day)
        return weekday == 0 || weekday == 6 ? .nonWorkday : .workday
    }
}
