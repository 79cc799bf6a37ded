import CurbsideAPI
import CurbsideCore
import Foundation
import OpenAPIRuntime

extension DemoDay {
    /// The concessionaire's month so far, through the report API: its totals
    /// against the ledger's, the share owed to the city, the KPIs, and the
    /// charts and CSV files the report page shows.
    func concessionReport(month: String, ledger totals: [LedgerEntry.Kind: Int]) async throws {
        let finance = client.api(try await token(.finance, "demo-finance"))
        let report = try await finance.getMonthReport(path: .init(month: month)).ok.body.json
        let t = report.totals
        func ledger(_ kind: LedgerEntry.Kind) -> Int64 { Int64(totals[kind] ?? 0) }
        let matches = t.receivableFen == ledger(.receivable) && t.receivedFen == ledger(.received) && t.refundsFen == ledger(.refund)
            && t.exemptionsFen == ledger(.exemption) && t.discountsFen == ledger(.discount)
        output("")
        output("Concession report for \(month) (GET /v1/reports/months/\(month)), from \(t.entries) ledger entries")
        output("  Receivable \(Money.display(Int(t.receivableFen))), received \(Money.display(Int(t.receivedFen))), refunds \(Money.display(Int(t.refundsFen))); "
               + "arrears at the end \(Money.display(Int(report.arrearsClosingFen))); the same as the ledger: \(matches ? "yes" : "NO")")
        output("  By zone: " + report.zones.map { "\($0.key) \(Money.display(Int($0.figures.receivedFen)))" }.joined(separator: ", "))
        output("  By channel: " + report.channels.map { "\($0.key) \(Money.display(Int($0.figures.receivedFen)))" }.joined(separator: ", "))
        output("  Share owed to the city: \(Money.display(Int(report.share.owedFen))) on a basis of \(Money.display(Int(report.share.basisFen)))\(report.share.due ? ", due" : "")")
        for kpi in report.kpis {
            let value = kpi.valueHundredths.map { Money.yuan($0) + (kpi.kpi == .turnover ? "" : "%") } ?? "n/a"
            let verdict = kpi.met.map { $0 ? "met" : "missed" } ?? "not assessed"
            output("    \(kpi.kpi.rawValue): \(value) (target \(kpi.target ?? "none"): \(verdict))")
        }
        var files: [String] = []
        for chart in [Operations.GetMonthReportChart.Input.Path.ChartPayload.revenue, .occupancy] {
            let png = try await Data(collecting: finance.getMonthReportChart(path: .init(month: month, chart: chart)).ok.body.png, upTo: 16 << 20)
            files.append("\(chart.rawValue).png \(png.count) bytes")
        }
        for table in [Operations.GetMonthReportCSV.Input.Path.TablePayload.days, .zones, .segments] {
            let csv = try await Data(collecting: finance.getMonthReportCSV(path: .init(month: month, table: table)).ok.body.csv, upTo: 16 << 20)
            files.append("\(table.rawValue).csv \(csv.split(separator: UInt8(ascii: "\n")).count - 1) rows")
        }
        output("  Charts and tables: " + files.joined(separator: ", "))
        output("  The concessionaire's page: \(client.baseURL)/concession#month=\(month) (give it a finance token)")
        if !matches { throw DemoError("the concession report's totals differ from the ledger's") }
    }
}
