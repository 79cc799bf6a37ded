import ArgumentParser
import CurbsideCore
import CurbsideSimulation
import Foundation

/// Writes a simulated day of a registry file's bays: every event the
/// detectors and cameras send, and the sessions they must fold into.
struct SimulateDay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "day",
        abstract: "Simulate one day of every bay in a registry file.",
        discussion: "The same seed always gives the same files. Fixtures/day holds the day the tests use, made with the defaults."
    )

    @Option(help: "Registry file whose bays to simulate.")
    var zones = "Zones/heshan-shaping.geojson"

    @Option(help: "The local day, YYYY-MM-DD.")
    var date = "2026-11-20"

    @Option(help: "Seed of the simulation.")
    var seed: UInt64 = 20_261_120

    @Option(help: "IANA time zone of the district.")
    var timeZone = "Asia/Shanghai"

    @Option(help: "Folder to write to.")
    var out = "Fixtures/day"

    @Option(help: "File name stem; default: the registry file's name and the date.")
    var name: String?

    @Flag(help: "Add the street's rarer failures: shared cameras filing the neighbour's plate, unreadable plates, doubtful look-alike reads.")
    var streetFaults = false

    func run() async throws {
        guard let day = LocalDate(date) else { throw ValidationError("--date: expected YYYY-MM-DD, got '\(date)'") }
        guard let clock = ZoneClock(identifier: timeZone) else { throw ValidationError("--time-zone: unknown time zone '\(timeZone)'") }
        let data = try Data(contentsOf: URL(fileURLWithPath: zones))
        let (document, issues) = RegistryGeoJSON.read(data, cityTimeZone: timeZone)
        guard issues.isEmpty else { throw ValidationError("\(zones): \(issues.count) problems; `curbside import zones --dry-run` lists them") }
        let bays = SimulatedBay.all(in: document)
        var settings = DaySimulator.Settings(day: day, clock: clock, seed: seed)
        settings.streetFaults = streetFaults
        let simulation = DaySimulator(bays: bays, settings: settings).run()
        let stem = name ?? URL(fileURLWithPath: zones).deletingPathExtension().lastPathComponent + "-" + date
        let fixture = DayFixture(directory: out, name: stem)
        try fixture.write(simulation, clock: clock)
        let closed = simulation.sessions.filter { $0.end != nil }.count
        print("\(bays.count) bays, \(simulation.events.count) events, \(simulation.sessions.count) sessions (\(closed) closed)")
        print("wrote \(fixture.eventsPath)")
        print("wrote \(fixture.sessionsPath)")
    }
}
