import CurbsideCore
import Foundation

extension DemoDay {
    struct MonthReport: Decodable {
        var period: String
        var totals: Figures
        var arrearsClosingFen: Int
        var zones: [Row]
        var channels: [Row]
        var share: Share
        var kpis: [Assessment]
    }
    struct Figures: Decodable { var receivableFen: Int; var exemptionsFen: Int; var receivedFen: Int; var refundsFen: Int; var discountsFen: Int; var entries: Int }
    struct Row: Decodable { var key: String; var figures: Figures }
    struct Share: Decodable { var basisFen: Int; var shareFen: Int; var owedFen: Int; var due: Bool }
    struct Assessment: Decodable { var kpi: String; var valueHundredths: Int?; var target: String?; var met: Bool? }

    /// The concessionaire's month so far, through the report API: its totals
    /// against the ledger's, the share owed to the city, the KPIs, and the
    /// charts and CSV files the report page shows.
    func concessionReport(month: String, ledger totals: [LedgerEntry.Kind: Int]) async throws {
        let finance = try await token(.finance, "demo-finance")
        let report = try await client.get("/v1/reports/months/\(month)", token: finance).decode(MonthReport.self)
        let t = report.totals
        let matches = t.receivableFen == totals[.receivable] ?? 0 && t.receivedFen == totals[.received] ?? 0 && t.refundsFen == totals[.refund] ?? 0
            && t.exemptionsFen == totals[.exemption] ?? 0 && t.discountsFen == totals[.discount] ?? 0
        output("")
        output("Concession report for \(month) (GET /v1/reports/months/\(month)), from \(t.entries) ledger entries")
        output("  Receivable \(Money.display(t.receivableFen)), received \(Money.display(t.receivedFen)), refunds \(Money.display(t.refundsFen)); "
               + "arrears at the end \(Money.display(report.arrearsClosingFen)); the same as the ledger: \(matches ? "yes" : "NO")")
        output("  By zone: " + report.zones.map { "\($0.key) \(Money.display($0.figures.receivedFen))" }.joined(separator: ", "))
        output("  By channel: " + report.channels.map { "\($0.key) \(Money.display($0.figures.receivedFen))" }.joined(separator: ", "))
        output("  Share owed to the city: \(Money.display(report.share.owedFen)) on a basis of \(Money.display(report.share.basisFen))\(report.share.due ? ", due" : "")")
        for kpi in report.kpis {
            let value = kpi.valueHundredths.map { Money.yuan($0) + (kpi.kpi == "turnover" ? "" : "%") } ?? "n/a"
            let verdict = kpi.met.map { $0 ? "met" : "missed" } ?? "not assessed"
            output("    \(kpi.kpi): \(value) (target \(kpi.target ?? "none"): \(verdict))")
        }
        var files: [String] = []
        for chart in ["revenue", "occupancy"] {
            files.append("\(chart).png \(try await client.get("/v1/reports/months/\(month)/charts/\(chart)", token: finance).body.count) bytes")
        }
        for table in ["days", "zones", "segments"] {
            let csv = try await client.get("/v1/reports/months/\(month)/csv/\(table)", token: finance).body
            files.append("\(table).csv \(csv.split(separator: UInt8(ascii: "\n")).count - 1) rows")
        }
        output("  Charts and tables: " + files.joined(separator: ", "))
        output("  The concessionaire's page: \(client.baseURL)/concession#month=\(month) (give it a finance token)")
        if !matches { throw DemoError("the concession report's totals differ from the ledger's") }
    }
}
