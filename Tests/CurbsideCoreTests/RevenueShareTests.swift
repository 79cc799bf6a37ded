import CurbsideCore
import CurbsideTestThreads
import Foundation
import PropertyBased
import Testing
import Yams

/// The city's revenue share: marginal tiers, the minimum annual guarantee,
/// and the shipped contract file.
@Suite("Revenue share", .ownThread)
struct RevenueShareTests {
    static let share = RevenueShare(
        basis: .received,
        tiers: [.init(upToFen: 500_000_000, rateBasisPoints: 800), .init(upToFen: 1_000_000_000, rateBasisPoints: 1000), .init(upToFen: nil, rateBasisPoints: 1200)],
        minimumAnnualFen: 60_000_000
    )

    @Test("Each tier's slice is taken at its own rate")
    func tiers() {
        #expect(Self.share.share(ofYearToDate: 0) == 0)
        #expect(Self.share.share(ofYearToDate: -5_000) == 0)
        #expect(Self.share.share(ofYearToDate: 100_000_000) == 8_000_000)
        // 5,000,000 yuan at 8 %, 5,000,000 at 10 %, 1,000,000 at 12 %.
        #expect(Self.share.share(ofYearToDate: 1_100_000_000) == 40_000_000 + 50_000_000 + 12_000_000)
        // Half a fen rounds up: 8 % of 0.06 yuan is 0.48 fen.
        #expect(Self.share.share(ofYearToDate: 6) == 0)
        #expect(Self.share.share(ofYearToDate: 7) == 1)
    }

    @Test("A year's periods add up to the year's share, whatever the months bring", .timeLimit(.minutes(1)))
    func periodsAddUp() async {
        await propertyCheck(count: 200, input: Gen.int(in: -2_000_000...300_000_000).array(of: 1...12)) { months in
            var before = 0, owed = 0
            for (index, basis) in months.enumerated() {
                let period = Self.share.owed(yearToDateBefore: before, period: basis, closesYear: index == months.count - 1)
                owed += period.totalFen
                before += basis
                #expect(period.yearToDateShareFen == Self.share.share(ofYearToDate: before))
            }
            #expect(owed == max(Self.share.share(ofYearToDate: before), Self.share.minimumAnnualFen))
        }
    }

    @Test("The guarantee tops up only the year's last period")
    func guarantee() {
        let december = Self.share.owed(yearToDateBefore: 300_000_000, period: 20_000_000, closesYear: true)
        #expect(december.shareFen == 1_600_000)
        #expect(december.yearToDateShareFen == 25_600_000)
        #expect(december.guaranteeTopUpFen == 60_000_000 - 25_600_000)
        #expect(Self.share.owed(yearToDateBefore: 300_000_000, period: 20_000_000, closesYear: false).guaranteeTopUpFen == 0)
    }

    @Test("The shipped contract reads, with its tiers, guarantee, hours and targets")
    func shippedContract() throws {
        let text = try String(contentsOfFile: TariffFiles.directory + "/concession.yaml", encoding: .utf8)
        let contract = try YAMLDecoder().decode(ConcessionDocument.self, from: text).contract
        #expect(contract.share == Self.share)
        #expect(contract.assessedMinutes == 480..<1200)
        #expect(contract.targets.map(\.kpi) == KPI.allCases)
        #expect(contract.targets.first { $0.kpi == .appealRate } == KPITarget(kpi: .appealRate, comparison: .atMost, hundredths: 200))
        #expect(contract.closesYear(ReportMonth("2026-12")!))
        #expect(!contract.closesYear(ReportMonth("2026-11")!))
        #expect(contract.closesYear(ReportMonth("2038-06")!))
        // Settled monthly; settled by quarter, the fee falls due in March, June, September and December.
        #expect(contract.closesPeriod(ReportMonth("2026-11")!))
        var quarterly = contract
        quarterly.period = .quarter
        #expect((1...12).filter { quarterly.closesPeriod(ReportMonth(year: 2026, month: $0)!) } == [3, 6, 9, 12])
    }

    @Test("A contract file with a misspelt key, unordered tiers or an unknown KPI is refused with the reason", arguments: [
        ("revenue_share:", "revenue_shares:", "unknown key 'revenue_shares'"),
        ("up_to: \"10000000.00\"", "up_to: \"1000000.00\"", "ascending up_to"),
        ("appeal_rate:", "appeals_rate:", "unknown KPI 'appeals_rate'"),
        ("from: \"08:00\"", "from: \"08:10\"", "quarter-hour"),
        ("rate: \"12\"", "rate: \"112\"", "from 0 to 100"),
        ("time_zone: Asia/Shanghai\n", "", "time_zone"),
    ])
    func refused(find: String, replace: String, reason: String) throws {
        let text = try String(contentsOfFile: TariffFiles.directory + "/concession.yaml", encoding: .utf8)
        #expect(text.contains(find))
        #expect {
            try YAMLDecoder().decode(ConcessionDocument.self, from: text.replacingOccurrences(of: find, with: replace))
        } throws: { error in
            String(describing: error).contains(reason)
        }
    }
}
