import CurbsideCore

/// A report as CSV files for the concessionaire's and the city's spreadsheets:
/// money in yuan with two decimals (exact, since it is whole fen), one file per
/// breakdown, and a summary of totals, the share owed and the KPIs.
public enum ReportCSV {
    public static func files(_ report: RevenueReport) -> [(name: String, text: String)] {
        [
            ("summary.csv", summary(report)),
            ("days.csv", table(["date"], report.days.map { ([$0.key], $0) })),
            ("zones.csv", table(["zone"], report.zones.map { ([$0.key], $0) })),
            ("segments.csv", table(["segment", "zone"], report.segments.map { ([$0.key, $0.zone ?? ""], $0) })),
            ("channels.csv", channels(report)),
            ("occupancy.csv", occupancy(report)),
        ]
    }

    static let moneyColumns = [
        "receivable_yuan", "exemptions_yuan", "discounts_yuan", "received_yuan", "refunds_yuan", "write_offs_yuan", "arrears_recovered_yuan",
        "net_received_yuan", "arrears_outstanding_yuan", "ledger_entries",
    ]

    static func money(_ row: RevenueReport.Row) -> [String] {
        let f = row.figures
        return [f.receivableFen, f.exemptionsFen, f.discountsFen, f.receivedFen, f.refundsFen, f.writeOffsFen, f.arrearsRecoveredFen, f.netReceivedFen, row.arrearsFen]
            .map(Money.yuan) + [String(f.entries)]
    }

    static func table(_ keys: [String], _ rows: [([String], RevenueReport.Row)]) -> String {
        CSVText.lines([keys + moneyColumns] + rows.map { $0.0 + money($0.1) })
    }

    static func channels(_ report: RevenueReport) -> String {
        CSVText.lines([["channel", "received_yuan", "refunds_yuan", "net_received_yuan", "ledger_entries"]] + report.channels.map {
            [$0.key, Money.yuan($0.figures.receivedFen), Money.yuan($0.figures.refundsFen), Money.yuan($0.figures.netReceivedFen), String($0.figures.entries)]
        })
    }

    static func occupancy(_ report: RevenueReport) -> String {
        CSVText.lines([["zone"] + (0..<24).map { "h\($0 < 10 ? "0" : "")\($0)_percent" }] + report.hourlyOccupancy.keys.sorted().map { zone in
            [zone] + report.hourlyOccupancy[zone]!.map(percent)
        })
    }

    static func summary(_ report: RevenueReport) -> String {
        let t = report.totals, share = report.share
        var rows: [[String]] = [["item", "value", "target", "met"]]
        rows.append(["contract", report.contractID, "", ""])
        rows.append(["period", report.period.description, "", ""])
        for (name, fen) in [
            ("receivable_yuan", t.receivableFen), ("exemptions_yuan", t.exemptionsFen), ("discounts_yuan", t.discountsFen), ("received_yuan", t.receivedFen),
            ("refunds_yuan", t.refundsFen), ("write_offs_yuan", t.writeOffsFen), ("net_received_yuan", t.netReceivedFen),
            ("arrears_opening_yuan", report.arrearsOpeningFen), ("arrears_recovered_yuan", t.arrearsRecoveredFen), ("arrears_closing_yuan", report.arrearsClosingFen),
            ("share_basis_yuan", share.basisFen), ("share_year_to_date_before_yuan", share.yearToDateBeforeFen), ("share_yuan", share.owed.shareFen),
            ("guarantee_top_up_yuan", share.owed.guaranteeTopUpFen), ("share_owed_yuan", share.owed.totalFen),
        ] {
            rows.append([name, Money.yuan(fen), "", ""])
        }
        rows.append(["share_due", share.due ? "yes" : "no", "", ""])
        for assessment in report.kpis {
            let kpi = assessment.reading.kpi
            let value = assessment.reading.hundredths.map { kpi.isPercentage ? percent($0) : Money.yuan($0) } ?? ""
            let target = assessment.target.map { "\($0.comparison.rawValue) \(kpi.isPercentage ? percent($0.hundredths) : Money.yuan($0.hundredths))" } ?? ""
            rows.append([kpi.rawValue, value, target, assessment.met.map { $0 ? "yes" : "no" } ?? ""])
        }
        return CSVText.lines(rows)
    }

    /// Hundredths of a percent as "45.07".
    static func percent(_ hundredths: Int) -> String { Money.yuan(hundredths) }
}
