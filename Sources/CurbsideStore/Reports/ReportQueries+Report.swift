import CurbsideCore

extension ReportQueries {
    /// A day's or month's report under a concession contract, as of `now` (UTC ms).
    public func report(_ contract: ConcessionContract, period: ReportPeriod, now: Int64) async throws -> RevenueReport {
        let clock = ZoneClock(identifier: contract.timeZone)!
        let yearStart = clock.utc(fromLocal: Int64(contract.yearStart(of: period.month).firstDay.dayNumber) * 86_400) * 1000
        let facts = try await facts(period: period, clock: clock, yearStart: yearStart, now: now)
        return RevenueReport(contract: contract, period: period, facts: facts, clock: clock)
    }
}
