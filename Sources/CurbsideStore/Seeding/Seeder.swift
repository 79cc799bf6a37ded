import CurbsideCore
import FluentKit
import Foundation
import Logging

/// Brings a database up to what the files in the repository describe: every
/// tariff version in Tariffs/ on each start, and Zones/ into an empty registry.
/// Once the registry has data it is managed through the API and imports.
public enum Seeder {
    public static func loadTariffs(from directory: String, store: Store, database: any Database, logger: Logger) async throws {
        let files = try TariffFiles.load(directory: directory)
        let added = try await TariffCatalog(store: store, database: database).register(tariffs: files.tariffs, calendars: files.calendars)
        logger.info("tariffs loaded", metadata: [
            "directory": "\(directory)", "tariffs": "\(files.tariffs.count)", "calendars": "\(files.calendars.count)", "new_versions": "\(added)",
        ])
    }

    /// Imports every Zones/*.geojson in name order when no zone exists yet; zones without a time zone get the city's.
    @discardableResult
    public static func seedRegistryIfEmpty(
        from directory: String, cityTimeZone: String, store: Store, database: any Database, logger: Logger
    ) async throws -> Bool {
        guard try await ZoneModel.query(on: database).count() == 0 else { return false }
        let registry = Registry(store: store, database: database)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            logger.warning("no zones directory; the registry starts empty", metadata: ["directory": "\(directory)"])
            return false
        }
        let files = names.filter { $0.hasSuffix(".geojson") }.sorted()
        for file in files {
            let path = directory + "/" + file
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            do {
                let summary = try await registry.importGeoJSON(data, cityTimeZone: cityTimeZone, by: .system, source: .seed)
                logger.info("registry seeded", metadata: ["file": "\(path)", "zones": "\(summary.zones.created)", "segments": "\(summary.segments.created)", "bays": "\(summary.bays.created)"])
            } catch let RegistryError.rejected(rejection) {
                throw SeedError(file: path, issues: rejection.issues)
            }
        }
        return !files.isEmpty
    }
}

/// A Zones/ file that does not import, with every problem found in it.
public struct SeedError: Error, CustomStringConvertible {
    public var file: String
    public var issues: [ImportIssue]

    public var description: String {
        "\(file) does not import:\n" + issues.map { "  \($0)" }.joined(separator: "\n")
    }
}
