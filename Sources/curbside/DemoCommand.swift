import ArgumentParser
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

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let environment = ProcessInfo.processInfo.environment
        try await DemoTour(
            zonesDirectory: environment["CURBSIDE_ZONES_DIR"] ?? "Zones",
            tariffsDirectory: environment["CURBSIDE_TARIFFS_DIR"] ?? "Tariffs"
        ).run()
    }
}
