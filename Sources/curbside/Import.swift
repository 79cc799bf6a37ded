import ArgumentParser
import CurbsideCore
import CurbsideServer
import CurbsideStore
import Foundation

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import registry data.",
        subcommands: [Zones.self]
    )

    struct Zones: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import zones, road segments and bays from a GeoJSON file (docs/registry-geojson.md).",
            discussion: "All or nothing: every bad feature is listed with its index and the reason, and nothing is written. Importing the same file again changes nothing."
        )

        @Argument(help: "A GeoJSON FeatureCollection, e.g. Zones/heshan-shaping.geojson.")
        var file: String

        @Flag(help: "Check the file and count what would change, without writing.")
        var dryRun = false

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("Cannot read \(file).")
            }
            let configuration = try CommandEnvironment.configuration()
            CommandEnvironment.bootstrapLogging(configuration, level: .warning)
            let summary: ImportSummary
            do {
                summary = try await CommandEnvironment.withApplication(logLevel: .warning) { app in
                    let store = try await CurbsideApp.configure(app, configuration, options: .init(seedRegistry: false, routes: false))
                    return try await Registry(store: store, database: app.db)
                        .importGeoJSON(data, cityTimeZone: configuration.city.timeZone.identifier, by: Principal(subject: NSUserName(), role: .operator), dryRun: dryRun)
                }
            } catch let RegistryError.rejected(rejection) {
                var message = "\(file) was not imported; nothing was written. \(rejection.issues.count) problem(s):\n"
                for issue in rejection.issues { message += "  \(issue)\n" }
                throw ImportFailed(message: message)
            }
            let verb = summary.dryRun ? "would be" : "were"
            print("\(file): \(summary.changed) change(s) \(verb) made\(summary.dryRun ? " (dry run)" : "").")
            for (name, counts) in [("zones", summary.zones), ("road segments", summary.segments), ("bays", summary.bays)] {
                print("  \(name): \(counts.created) created, \(counts.updated) updated, \(counts.retired) retired")
            }
            print("  unchanged: \(summary.unchanged)")
        }
    }
}

/// Fails the command with its message and exit status 1.
struct ImportFailed: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
