import ArgumentParser
import CurbsideServer

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run pending database migrations, then exit.")

    func run() async throws {
        let configuration = try CommandEnvironment.configuration()
        CommandEnvironment.bootstrapLogging(configuration)
        try await CommandEnvironment.withApplication(logLevel: configuration.log.level) { app in
            try await CurbsideApp.configure(app, configuration, options: .init(migrate: true, loadTariffs: false, seedRegistry: false, routes: false))
        }
        print("Migrations are up to date.")
    }
}
