import ArgumentParser
import CurbsideServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the HTTP server.",
        discussion: "Runs pending migrations first unless --no-migrate is given or CURBSIDE_AUTO_MIGRATE=false; on an empty database, loads Zones/."
    )

    @Option(help: "Address to listen on; 0.0.0.0 for every interface.")
    var hostname = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @Flag(help: "Do not run migrations (run `curbside migrate` once before starting several instances).")
    var noMigrate = false

    func run() async throws {
        let configuration = try CommandEnvironment.configuration()
        CommandEnvironment.bootstrapLogging(configuration)
        let arguments = ["curbside", "serve", "--hostname", hostname, "--port", String(port)]
        try await CommandEnvironment.withApplication(arguments: arguments, logLevel: configuration.log.level) { app in
            let options = CurbsideApp.Options(migrate: configuration.store.autoMigrate && !noMigrate, clock: configuration.city.clock)
            if configuration.city.clockOffsetSeconds != 0 {
                app.logger.notice("The service's clock runs \(configuration.city.clockOffsetSeconds) s from the system clock (CURBSIDE_CLOCK_OFFSET_SECONDS)")
            }
            try await CurbsideApp.configure(app, configuration, options: options)
            try await app.asyncBoot()
            try await app.server.start(address: .hostname(hostname, port: port))
            await ShutdownSignal.wait()
            // Readiness goes 503 first; the load balancer stops sending, then the requests in flight finish and it stops.
            app.drain.begin()
            app.logger.notice("Draining for \(configuration.edge.drainSeconds) s before stopping")
            try? await Task.sleep(for: .seconds(configuration.edge.drainSeconds))
            await app.server.shutdown()
        }
    }
}
