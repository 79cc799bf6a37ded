import CurbsideCore
import Foundation

/// A fusion scenario from Fixtures/fusion: events as a gateway sends them, in
/// the order they arrive, and the sessions they must fold into.
struct FusionFixture: Decodable, Sendable {
    struct Event: Decodable, Sendable {
        var device_id: String
        var event_id: String
        var bay: String
        var time: String
        var type: String
        var occupied: Bool?
        var battery: Int?
        var rssi: Int?
        var temperature: Double?
        var plate: PlateInput?
        var images: [Image]?
        var received_at: String?
    }

    struct PlateInput: Decodable, Sendable {
        var text: String
        var colour: String
        var confidence: Double
    }

    struct Image: Decodable, Sendable {
        var sha256: String
    }

    struct Session: Decodable, Sendable, Equatable {
        var bay: String
        var start: String
        var end: String?
        var plate: String?
        var quality: String
        var flags: [String]
        var evidence: [String]
    }

    var description: String
    var events: [Event]
    var sessions: [Session]

    static let fixtures: String = {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures").path
    }()

    /// Device scenarios (Fixtures/fusion, which the ingest tests also send over HTTP)
    /// and scenarios with patrol officers' actions (Fixtures/patrol), as `directory/name`.
    static var names: [String] {
        ["fusion", "patrol"].flatMap { directory in
            ((try? FileManager.default.contentsOfDirectory(atPath: fixtures + "/" + directory)) ?? [])
                .filter { $0.hasSuffix(".json") }.map { directory + "/" + $0.dropLast(5) }
        }.sorted()
    }

    static func load(_ name: String) throws -> FusionFixture {
        try JSONDecoder().decode(FusionFixture.self, from: Data(contentsOf: URL(fileURLWithPath: fixtures + "/\(name).json")))
    }

    static let clock = ZoneClock(identifier: "Asia/Shanghai")!

    static func millis(_ text: String) -> Int64 {
        LocalDateTime.instant(text, in: clock)! * 1000
    }

    /// The events as the fold takes them; received in arrival order, a second apart unless stated.
    func deviceEvents() throws -> [DeviceEvent] {
        try events.enumerated().map { index, event in
            let read = try event.plate.map { plate in
                PlateRead(
                    plate: try Plate(parsing: plate.text), colour: PlateColour(rawValue: plate.colour)!,
                    confidence: Int((plate.confidence * 1000).rounded()), images: event.images?.map(\.sha256) ?? []
                )
            }
            let payload: DeviceEvent.Payload = switch event.type {
            case "sensor_change": .sensorChange(occupied: event.occupied!)
            case "heartbeat": .heartbeat(Heartbeat(occupied: event.occupied, battery: event.battery, rssi: event.rssi, temperatureDeci: event.temperature.map { Int(($0 * 10).rounded()) }))
            case "camera_arrival": .cameraArrival(read)
            case "camera_departure": .cameraDeparture(read)
            case "patrol_start": .patrolStart(read)
            case "patrol_end": .patrolEnd
            case "patrol_plate": .patrolPlate(read!)
            case "patrol_photos": .patrolPhotos(event.images?.map(\.sha256) ?? [])
            default: .cameraRead(read!)
            }
            let time = Self.millis(event.time)
            return DeviceEvent(
                deviceID: event.device_id, eventID: event.event_id, bay: try BayCode(parsing: event.bay), deviceTime: time,
                receivedTime: event.received_at.map(Self.millis) ?? time + Int64(index) * 1000, payload: payload
            )
        }
    }

    /// A session in the fixture's terms, for comparison.
    static func describe(_ session: ParkingSession) -> Session {
        Session(
            bay: session.bay.rawValue, start: LocalDateTime.format(session.start / 1000, in: clock),
            end: session.end.map { LocalDateTime.format($0 / 1000, in: clock) }, plate: session.plate?.plate.text,
            quality: session.quality.rawValue, flags: session.flags.names, evidence: session.evidence
        )
    }
}
