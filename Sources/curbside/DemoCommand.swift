import ArgumentParser
import CurbsideCore
import CurbsideServer
import Foundation
import Logging

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Curbside end to end on a temporary SQLite database and print what it does.",
        discussion: """
            Starts the server on a free local port, loads Zones/ and Tariffs/ (or CURBSIDE_ZONES_DIR and CURBSIDE_TARIFFS_DIR), \
            tours the registry and tariffs over HTTP, then runs yesterday as a simulated day: device events in, sessions, \
            bills and notices out, payments through signed channel notifications, a refund, a reconciliation and the ledger's \
            totals. DATABASE_URL is ignored.
            """
    )

    @Option(help: "The day to simulate, yyyy-MM-dd (default: yesterday in Beijing time); the demo runs as if it were the next morning.")
    var day: String?

    func validate() throws {
        if let day, LocalDate(day) == nil { throw ValidationError("--day '\(day)' is not a day such as 2026-11-30.") }
    }

    func run() async throws {
        CurbsideLogging.bootstrap(format: .text, level: .warning)
        let environment = ProcessInfo.processInfo.environment
        try await DemoTour(
            zonesDirectory: environment["CURBSIDE_ZONES_DIR"] ?? "Zones",
            tariffsDirectory: environment["CURBSIDE_TARIFFS_DIR"] ?? "Tariffs",
            clock: DemoClock(simulating: day.flatMap(LocalDate.init))
        ).run()
    }
}
