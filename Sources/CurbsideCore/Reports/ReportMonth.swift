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
