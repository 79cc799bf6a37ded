import ArgumentParser
import CurbsideCore
import CurbsideServer
import CurbsideStore
import Foundation
import SQLKit

/// The concession report over a month of a whole city's data on PostgreSQL:
/// every bay of the sample district, `--sessions` stays spread over November,
/// two in three billed, most of those paid (some after falling due, through
/// five channels), a few refunded, detectors with outages.
struct BenchReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Time the month's concession report over a million sessions on PostgreSQL.",
        discussion: """
            Creates a throw-away database beside --postgres, loads Zones/, writes the month's sessions, bills, payments and \
            ledger entries with SQL, then builds November 2026's report --runs times.
            Run as: swift build -c release && .build/release/curbside-bench report --postgres postgres://user@localhost/postgres
            """
    )

    @OptionGroup var options: BenchMonthOptions

    func run() async throws {
        try await options.withDatabase(measure)
    }

    func measure(url: String) async throws {
        guard let contract = try CommandEnvironment.configuration().concessionContract() else {
            throw BenchFailure(description: "no concession contract in Tariffs/")
        }
        let clock = ZoneClock(identifier: contract.timeZone)!
        let period = ReportPeriod.month(ReportMonth("2026-11")!)
        let instants = period.instants(in: clock)
        let loading = ContinuousClock.now
        try await options.withMonth(url: url, month: instants) { app, store in
            let sql = app.db.sql
            print("Concession report benchmark: \(BenchFormat.rate(Double(options.sessions))) sessions in \(period) on PostgreSQL, loaded in \(String(format: "%.0f", (ContinuousClock.now - loading).seconds)) s")
            struct Count: Decodable { var n: Int }
            for table in ["bays", "parking_sessions", "bills", "payments", "ledger_entries", "device_status_events"] {
                let count = try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first(decoding: Count.self)?.n ?? 0
                print("  \(table): \(BenchFormat.rate(Double(count))) rows")
            }
            let sums = ReportQueries(store: store, database: app.db)
            var everyEntry = sums
            everyEntry.useRollups = false
            for (run, queries) in (1...options.runs).flatMap({ run in [(run, sums), (run, everyEntry)] }) {
                let started = ContinuousClock.now
                let report = try await queries.report(contract, period: period, now: instants.upperBound + 43_200_000)
                let elapsed = ContinuousClock.now - started
                print("  run \(run), \(queries.useRollups ? "money from the day sums" : "money from every entry"): \(String(format: "%.2f", elapsed.seconds)) s; "
                      + "\(BenchFormat.rate(Double(report.totals.entries))) ledger entries, "
                      + "received \(Money.display(report.totals.receivedFen)), arrears \(Money.display(report.arrearsClosingFen)), "
                      + "turnover \(report.kpis.first { $0.reading.kpi == .turnover }?.reading.hundredths.map { Money.yuan($0) } ?? "-")")
            }
        }
    }
}
