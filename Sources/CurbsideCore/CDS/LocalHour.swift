/// One hour of a zone's wall clock and the UTC instants it covers. CDS
/// aggregates are keyed by local date and hour: the hour repeated when clocks
/// go back is one hour two hours long, and the hour skipped in spring has no
/// row. Zones whose offset is not whole hours (Kathmandu's +5:45) still get
/// hours that start on their own clock's hour.
public struct LocalHour: Sendable, Equatable {
    public var date: LocalDate
    public var hour: Int
    /// UTC milliseconds, `start..<end`.
    public var start: Int64
    public var end: Int64

    public init(date: LocalDate, hour: Int, start: Int64, end: Int64) {
        self.date = date
        self.hour = hour
        self.start = start
        self.end = end
    }

    static let quarter: Int64 = 900_000

    /// The whole local hours that overlap `range` (UTC milliseconds), in order.
    /// Every offset in use is a whole number of quarter-hours, so hours are
    /// built from UTC quarter-hours, starting two hours early to find where
    /// the first one begins.
    public static func covering(_ range: Range<Int64>, clock: ZoneClock) -> [LocalHour] {
        guard !range.isEmpty else { return [] }
        var hours: [LocalHour] = []
        var quarter = floorDivide(range.lowerBound, Self.quarter) - 8
        let last = floorDivide(range.upperBound - 1, Self.quarter) + 8
        while quarter <= last {
            let start = quarter * Self.quarter
            let local = clock.local(start / 1000)
            let day = floorDivide(local, 86_400)
            let hour = Int((local - day * 86_400) / 3600)
            let date = LocalDate(dayNumber: Int(day))
            if var current = hours.last, current.date == date, current.hour == hour, current.end == start {
                current.end = start + Self.quarter
                hours[hours.count - 1] = current
            } else {
                hours.append(LocalHour(date: date, hour: hour, start: start, end: start + Self.quarter))
            }
            quarter += 1
        }
        // Two hours of margin each side: the hours cut short there end before the range or start after it.
        return hours.filter { $0.end > range.lowerBound && $0.start < range.upperBound }
    }
}
