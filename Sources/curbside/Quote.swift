import ArgumentParser
import CurbsideCore
import CurbsideServer
import CurbsideStore
import Foundation

struct Quote: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Price a stay under a tariff file and explain every line.",
        discussion: "Times without an offset are local times in the tariff's time zone, e.g. 2026-11-21T09:00 or '2026-11-21 09:00'."
    )

    @Option(help: "A tariff file, e.g. Tariffs/heshan.yaml; its holiday calendar is read from the same folder.")
    var tariff: String

    @Option(name: .customLong("class"), help: "Zone class: 1, 2 or 3.")
    var zoneClass: Int

    @Option(help: "One of \(VehicleClass.allCases.map(\.rawValue).joined(separator: ", ")).")
    var vehicle = "small"

    @Option(help: "When the stay starts.")
    var from: String

    @Option(help: "When the stay ends.")
    var to: String

    @Flag(help: "Print one JSON object: amount_fen is the total, lines the items.")
    var json = false

    func run() async throws {
        guard let zone = ZoneClass(rawValue: zoneClass) else { throw ValidationError("--class must be 1, 2 or 3.") }
        guard let vehicleClass = VehicleClass(rawValue: vehicle) else {
            throw ValidationError("--vehicle must be one of \(VehicleClass.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let engine = try TariffFiles.engine(forFile: tariff)
        guard let start = LocalDateTime.instant(from, in: engine.clock) else { throw ValidationError("--from '\(from)' is not a time such as 2026-11-21T09:00.") }
        guard let end = LocalDateTime.instant(to, in: engine.clock) else { throw ValidationError("--to '\(to)' is not a time such as 2026-11-21T18:00.") }
        let quote: CurbsideCore.Quote
        do {
            quote = try engine.quote(zoneClass: zone, vehicle: vehicleClass, from: start, to: end)
        } catch {
            throw ValidationError(error.description)
        }
        if json {
            print(String(decoding: try QuoteJSON.encode(quote, engine: engine), as: UTF8.self))
        } else {
            QuoteText(tariff: engine.tariff, clock: engine.clock).bill(quote).forEach { print($0) }
        }
    }
}
