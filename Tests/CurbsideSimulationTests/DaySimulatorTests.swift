import CurbsideCore
import CurbsideSimulation
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

@Suite("Day simulator", .ownThread)
struct DaySimulatorTests {
    static let bays: [SimulatedBay] = {
        let data = FileManager.default.contents(atPath: RepositoryPaths.zones + "/heshan-shaping.geojson")!
        return SimulatedBay.all(in: RegistryGeoJSON.read(data, cityTimeZone: "Asia/Shanghai").0)
    }()

    @Test("The committed day is what the simulator makes from its seed, byte for byte")
    func fixtureIsCurrent() throws {
        let simulation = DaySimulator(bays: Self.bays, settings: SimulatedDay.settings).run()
        let clock = SimulatedDay.settings.clock
        #expect(try GzipFile.read(SimulatedDay.fixture.eventsPath) == Data(simulation.eventLines(in: clock).utf8))
        #expect(try GzipFile.read(SimulatedDay.fixture.sessionsPath) == Data(simulation.sessionLines(in: clock).utf8))
    }

    @Test("Another seed gives another day")
    func seedMatters() {
        var settings = SimulatedDay.settings
        let first = DaySimulator(bays: Array(Self.bays.prefix(40)), settings: settings).run()
        settings.seed += 1
        let second = DaySimulator(bays: Array(Self.bays.prefix(40)), settings: settings).run()
        #expect(first.events != second.events)
    }

    @Test("The day covers every bay, both kinds of device, and every failure mode")
    func coverage() throws {
        let simulation = DaySimulator(bays: Self.bays, settings: SimulatedDay.settings).run()
        let clock = SimulatedDay.settings.clock
        let sessions = simulation.sessions
        #expect(Set(sessions.map(\.bay)) == Set(Self.bays.map(\.code.rawValue)))
        let flags = sessions.reduce(into: ParkingSession.Flags()) { $0.formUnion($1.flags) }
        #expect(flags.isSuperset(of: [.endEstimated, .endedByNextArrival, .plateCorrected, .outage]))
        #expect(sessions.contains { $0.quality == .sensorOnly } && sessions.contains { $0.quality == .videoConfirmed })
        #expect(sessions.contains { $0.end == nil })

        let events = simulation.events
        #expect(Set(events.map(\.type)) == ["sensor_change", "heartbeat", "camera_arrival", "camera_departure", "camera_read"])
        let keys = events.map { $0.deviceID + "/" + $0.eventID }
        #expect(Set(keys).count < keys.count, "some events are sent twice")
        #expect(events.contains { $0.received - $0.time > 3600 }, "a gateway re-sends hours late")
        #expect(zip(events, events.dropFirst()).contains { $0.time > $1.time }, "events arrive out of device-time order")
        // Flaps: a detector change reverted within the debounce.
        let changes = Dictionary(grouping: events.filter { $0.type == "sensor_change" }, by: \.deviceID)
        let flaps = changes.values.reduce(0) { count, list in
            let sorted = Dictionary(list.map { ($0.eventID, $0) }) { first, _ in first }.values.sorted { $0.time < $1.time }
            return count + zip(sorted, sorted.dropFirst()).filter { $0.occupied == true && $1.occupied == false && $1.time - $0.time < 60 }.count
        }
        #expect(flaps > 0)
        #expect(simulation.eventLines(in: clock).split(separator: "\n").count == events.count)
    }
}
