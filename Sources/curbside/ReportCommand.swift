import ArgumentParser
import CurbsideCore
import CurbsideServer
import CurbsideStore
import Foundation

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a month's concession report: CSV tables (summary, days, zones, segments, channels, occupancy) and PNG charts.",
        discussion: "Reads the concession contract from Tariffs/concession.yaml or CURBSIDE_CONCESSION_FILE, and the database the environment names."
    )

    @Option(help: "The month, such as 2026-11.")
    var month: String

    @Option(help: "The folder to write the files into (made if missing).")
    var out: String

    func run() async throws {
        guard let month = ReportMonth(month) else { throw ValidationError("'\(month)' is not a month such as 2026-11.") }
        let configuration = try CommandEnvironment.configuration()
        CommandEnvironment.bootstrapLogging(configuration, level: .warning)
        guard let contract = try configuration.concessionContract() else {
            throw ValidationError("No concession contract: put one in \(configuration.files.tariffs)/concession.yaml or name it in CURBSIDE_CONCESSION_FILE.")
        }
        let started = ContinuousClock.now
        let report = try await CommandEnvironment.withApplication(logLevel: .warning) { app in
            let store = try await CurbsideApp.configure(app, configuration, options: .init(loadTariffs: false, seedRegistry: false, routes: false))
            return try await ReportQueries(store: store, database: app.db).report(contract, period: .month(month), now: Date().milliseconds)
        }
        let files = try ReportFiles.write(report, to: out)
        let elapsed = ContinuousClock.now - started
        let totals = report.totals
        print("""
            \(contract.name) · \(month)
              receivable \(Money.display(totals.receivableFen)), received \(Money.display(totals.receivedFen)), refunds \(Money.display(totals.refundsFen)), \
            arrears at month end \(Money.display(report.arrearsClosingFen))
              share owed to \(contract.grantor): \(Money.display(report.share.owed.totalFen)) (\(totals.entries) ledger entries)
              wrote \(files.joined(separator: ", ")) to \(out) in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))
            """)
    }
}
