import CurbsideCore
import CurbsideSimulation
import CurbsideTestThreads
import Foundation
import Testing

/// A day with the street's rarer failures switched on folds, bay by bay and in
/// memory, into exactly the sessions the simulator expects: misfiled reads of
/// the neighbour's car change nothing, unreadable plates hold their stays,
/// doubtful look-alikes do not correct a sure read.
@Suite("Day simulator: the street's rarer failures", .ownThread)
struct StreetFaultsTests {
    static func settings(seed: UInt64) -> DaySimulator.Settings {
        var settings = DaySimulator.Settings(day: LocalDate("2026-11-18")!, clock: ZoneClock(identifier: "Asia/Shanghai")!, seed: seed)
        settings.streetFaults = true
        return settings
    }

    /// The gateway's events as the fold takes them, a detector's bay from the registry.
    static func deviceEvents(_ simulation: DaySimulation, bays: [SimulatedBay]) -> [DeviceEvent] {
        let sensorBay = Dictionary(uniqueKeysWithValues: bays.compactMap { bay in bay.sensorID.map { ($0, bay.code) } })
        return simulation.events.compactMap { event in
            guard let bay = event.bay.flatMap({ try? BayCode(parsing: $0) }) ?? sensorBay[event.deviceID] else { return nil }
            let read = event.read.flatMap { read in
                Plate.reading(read.plate).map {
                    PlateRead(plate: $0, colour: PlateColour(rawValue: read.colour) ?? .unknown, confidence: read.confidence * 10, images: event.images.map(\.sha256))
                }
            }
            let payload: DeviceEvent.Payload
            switch event.type {
            case "sensor_change": payload = .sensorChange(occupied: event.occupied!)
            case "heartbeat": payload = .heartbeat(Heartbeat(occupied: event.occupied, battery: event.battery, rssi: event.rssi, temperatureDeci: event.temperature))
            case "camera_arrival": payload = .cameraArrival(read)
            case "camera_departure": payload = .cameraDeparture(read)
            case "camera_read": payload = .cameraRead(read!)
            default: return nil
            }
            return DeviceEvent(deviceID: event.deviceID, eventID: event.eventID, bay: bay, deviceTime: event.time * 1000, receivedTime: event.received * 1000, payload: payload)
        }
    }

    @Test("Every bay folds into the expected sessions, the neighbours' reads taken into account", arguments: [77, 20_261_118, 4_040] as [UInt64])
    func foldsAsExpected(seed: UInt64) throws {
        let bays = DaySimulatorTests.bays
        let simulation = DaySimulator(bays: bays, settings: Self.settings(seed: seed)).run()
        let events = Self.deviceEvents(simulation, bays: bays)
        let byBay = Dictionary(grouping: events, by: \.bay)
        let byCamera = Dictionary(grouping: events.filter(\.isCameraEvent), by: \.deviceID)
        let fold = SessionFold()
        var actual: [String] = []
        for bay in bays {
            let own = byBay[bay.code] ?? []
            let neighbours = bay.cameraID.flatMap { byCamera[$0] } ?? []
            actual += fold.fold(own, bay: bay.code, neighbours: neighbours).sessions.map { session in
                Self.describe(bay: session.bay.rawValue, start: session.start / 1000, end: session.end.map { $0 / 1000 }, plate: session.plate?.plate.text,
                              quality: session.quality, flags: session.flags)
            }
        }
        let expected = simulation.sessions.map { Self.describe(bay: $0.bay, start: $0.start, end: $0.end, plate: $0.plate, quality: $0.quality, flags: $0.flags) }
        let missing = Set(expected).subtracting(actual), unexpected = Set(actual).subtracting(expected)
        #expect(missing.isEmpty, "\(missing.count) expected, not folded: \(missing.sorted().prefix(4))")
        #expect(unexpected.isEmpty, "\(unexpected.count) folded, not expected: \(unexpected.sorted().prefix(4))")
        #expect(actual.count == expected.count)

        // The failures are there to be survived: misfiled reads, unreadable plates, doubtful look-alikes.
        let expectedByBay = Dictionary(grouping: simulation.sessions, by: \.bay)
        let misfiled = events.filter { event in
            guard case let .cameraRead(read) = event.payload else { return false }
            return expectedByBay[event.bay.rawValue]?.contains { $0.truePlate == read.plate.text } != true
        }
        #expect(misfiled.count > 50, "reads of a plate that never parked in the bay")
        #expect(simulation.sessions.filter { $0.flags.contains(.plateUnrecognised) }.count > 5)
        let doubtful = events.filter { event in
            guard case let .cameraRead(read) = event.payload, read.confidence <= 700 else { return false }
            return expectedByBay[event.bay.rawValue]?.contains { stay in stay.truePlate.flatMap { try? Plate(parsing: $0) }.map(read.plate.isProbableMisread(of:)) == true } == true
        }
        #expect(doubtful.count > 20, "look-alike reads less sure than the arrival's")
    }

    static func describe(bay: String, start: Int64, end: Int64?, plate: String?, quality: ParkingSession.Quality, flags: ParkingSession.Flags) -> String {
        "\(bay) \(start)-\(end.map(String.init) ?? "open") \(plate ?? "-") \(quality.rawValue) \(flags.names.joined(separator: ","))"
    }
}
