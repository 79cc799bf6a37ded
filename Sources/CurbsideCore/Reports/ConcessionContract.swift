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
