/// The local days a report covers, first to last inclusive: one day, or a month.
public struct ReportPeriod: Sendable, Equatable, CustomStringConvertible {
    public var first: LocalDate
    public var last: LocalDate

    public init(first: LocalDate, last: LocalDate) {
        precondition(first <= last, "a report period ends before it starts")
        self.first = first
        self.last = last
    }

    public static func day(_ day: LocalDate) -> ReportPeriod { ReportPeriod(first: day, last: day) }

    public static func month(_ month: ReportMonth) -> ReportPeriod {
        ReportPeriod(first: month.firstDay, last: LocalDate(year: month.year, month: month.month, day: month.dayCount)!)
    }

    public var days: ClosedRange<Int> { first.dayNumber...last.dayNumber }

    /// The month the period lies in (a period never spans two).
    public var month: ReportMonth { ReportMonth(year: first.year, month: first.month)! }

    /// UTC milliseconds from the first local midnight to the one after the last day.
    public func instants(in clock: ZoneClock) -> Range<Int64> {
        clock.utc(fromLocal: Int64(first.dayNumber) * 86_400) * 1000..<clock.utc(fromLocal: Int64(last.dayNumber + 1) * 86_400) * 1000
    }

    /// For each local quarter-hour of the day (0 is 00:00-00:15), the milliseconds of it that have
    /// passed by `now`, summed over the period's days: a quarter hour not yet begun counts nothing,
    /// the one under way counts what has passed. Occupancy is measured against this, so a report of a
    /// month or day still under way reads against the time that has been. It walks UTC quarter-hours
    /// and files each under its local one, as `OccupancyGrid` does, so the hour repeated when clocks
    /// go back counts twice in both and the skipped hour in neither.
    public func elapsedQuarters(in clock: ZoneClock, now: Int64) -> [Int64] {
        var elapsed = Array(repeating: Int64(0), count: 96)
        let range = instants(in: clock)
        var start = range.lowerBound
        while start < min(range.upperBound, now) {
            let local = clock.local(start / 1000)
            elapsed[Int(((local % 86_400) + 86_400) % 86_400 / 900)] += min(now, start + 900_000) - start
            start += 900_000
        }
        return elapsed
    }

    public var description: String { first == last ? first.description : "\(first)..\(last)" }
}
