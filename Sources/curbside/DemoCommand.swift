import ArgumentParser
import CurbsideServer
import Logging

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Curbside end to end on a temporary SQLite database and print what it does.",
        discussion: "Starts the server on a free local port, loads Zones/ and Tariffs/, and calls the API over HTTP."
    )

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        _ = try await CurbsideServer.Demo().run()
    }
}
