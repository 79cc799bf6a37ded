/// The concession contract (特许经营合同) as far as Curbside reports on it:
/// who the parties are, its term and contract year, how often it reports,
/// the city's revenue share, and the KPIs it assesses.
public struct ConcessionContract: Sendable, Equatable {
    public enum Period: String, Sendable, Codable, CaseIterable {
        case month, quarter
    }

    public var id: String
    public var name: String
    public var concessionaire: String
    /// The body that granted the concession and receives the fee.
    public var grantor: String
    /// IANA zone the contract's days, months and hours are read in.
    public var timeZone: String
    public var from: LocalDate
    public var until: LocalDate
    /// Contract years start on the first of this month.
    public var yearStartMonth: Int
    public var period: Period
    public var share: RevenueShare
    /// Occupancy is assessed between these local minutes of the day (the charged hours).
    public var assessedMinutes: Range<Int>
    public var targets: [KPITarget]

    public init(
        id: String, name: String, concessionaire: String, grantor: String, timeZone: String, from: LocalDate, until: LocalDate,
        yearStartMonth: Int, period: Period, share: RevenueShare, assessedMinutes: Range<Int>, targets: [KPITarget]
    ) {
        self.id = id
        self.name = name
        self.concessionaire = concessionaire
        self.grantor = grantor
        self.timeZone = timeZone
        self.from = from
        self.until = until
        self.yearStartMonth = yearStartMonth
        self.period = period
        self.share = share
        self.assessedMinutes = assessedMinutes
        self.targets = targets
    }

    /// The first day of the contract year a month falls in.
    public func yearStart(of month: ReportMonth) -> ReportMonth {
        let year = month.month >= yearStartMonth ? month.year : month.year - 1
        return ReportMonth(year: year, month: yearStartMonth)!
    }

    /// Whether a month is the last of its contract year (or of the contract).
    public func closesYear(_ month: ReportMonth) -> Bool {
        month.next.month == yearStartMonth || month.next.firstDay > until
    }

    /// Whether a month ends a reporting period.
    public func closesPeriod(_ month: ReportMonth) -> Bool {
        switch period {
        case .month: true
        case .quarter: (month.month - yearStartMonth + 12) % 3 == 2 || closesYear(month)
        }
    }
}

/// A calendar month, the unit reports are made for.
public struct ReportMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    public init?(year: Int, month: Int) {
        guard (1...12).contains(month), (1970..<2100).contains(year) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses yyyy-MM.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]) else { return nil }
        self.init(year: year, month: month)
    }

    public var firstDay: LocalDate { LocalDate(year: year, month: month, day: 1)! }
    public var dayCount: Int { LocalDate.daysIn(month: month, year: year) }
    public var next: ReportMonth { month == 12 ? ReportMonth(year: year + 1, month: 1)! : ReportMonth(year: year, month: month + 1)! }
    public var previous: ReportMonth { month == 1 ? ReportMonth(year: year - 1, month: 12)! : ReportMonth(year: year, month: month - 1)! }

    public var description: String {
        let text = String(month)
        return "\(year)-\(text.count == 1 ? "0" : "")\(text)"
    }

    public static func < (lhs: ReportMonth, rhs: ReportMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}
