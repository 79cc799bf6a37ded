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
            Run as: swift run -c release curbside bench report --postgres postgres://user@localhost/postgres
            """
    )

    @Option(help: "A PostgreSQL server URL; the benchmark creates and drops its own database there.")
    var postgres: String

    @Option(help: "Parking sessions in the month.")
    var sessions = 1_000_000

    @Option(help: "Times to build the report.")
    var runs = 3

    @Flag(help: "Keep the database afterwards, to study the queries (its name is printed).")
    var keep = false

    func run() async throws {
        let database = try await BenchDatabase.create(near: postgres)
        do {
            try await measure(url: database.url)
            if keep {
                print("  kept: \(database.url)")
            } else {
                try await database.drop()
            }
        } catch {
            try? await database.drop()
            throw error
        }
    }

    func measure(url: String) async throws {
        var configuration = try CommandEnvironment.configuration()
        configuration.database = .postgres(url: url)
        configuration.logLevel = .error
        guard let contract = try configuration.concessionContract() else { throw BenchFailure(description: "no concession contract in Tariffs/") }
        let clock = ZoneClock(identifier: contract.timeZone)!
        let period = ReportPeriod.month(ReportMonth("2026-11")!)
        let instants = period.instants(in: clock)
        try await CommandEnvironment.withApplication(logLevel: .error) { app in
            let store = try await CurbsideApp.configure(app, configuration, options: .init(routes: false))
            let sql = app.db as! any SQLDatabase
            let loading = ContinuousClock.now
            try await BenchMonthData(sessions: sessions, month: instants).write(on: sql)
            print("Concession report benchmark: \(BenchFormat.rate(Double(sessions))) sessions in \(period) on PostgreSQL, loaded in \(String(format: "%.0f", (ContinuousClock.now - loading).seconds)) s")
            struct Count: Decodable { var n: Int }
            for table in ["bays", "parking_sessions", "bills", "payments", "ledger_entries", "device_status_events"] {
                let count = try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first(decoding: Count.self)?.n ?? 0
                print("  \(table): \(BenchFormat.rate(Double(count))) rows")
            }
            let queries = ReportQueries(store: store, database: app.db)
            for run in 1...runs {
                let started = ContinuousClock.now
                let report = try await queries.report(contract, period: period, now: instants.upperBound + 43_200_000)
                let elapsed = ContinuousClock.now - started
                print("  run \(run): \(String(format: "%.2f", elapsed.seconds)) s; \(BenchFormat.rate(Double(report.totals.entries))) ledger entries, "
                      + "received \(Money.display(report.totals.receivedFen)), arrears \(Money.display(report.arrearsClosingFen)), "
                      + "turnover \(report.kpis.first { $0.reading.kpi == .turnover }?.reading.hundredths.map { Money.yuan($0) } ?? "-")")
            }
        }
    }
}
