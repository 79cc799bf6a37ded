import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

/// The CDS Events API: stays starting and ending, and devices losing and
/// regaining contact, at the bays they belong to. Plates are not published.
extension CDSHandler {
    func listCDSEvents(_ input: Operations.ListCDSEvents.Input) async throws -> Operations.ListCDSEvents.Output {
        try CDSMediaType.require(CDSMediaType.json, in: input.headers.accept)
        let window = try Self.eventWindow(input.query.eventTime, now: now)
        let bays = try await registry.activeBays()
        let byCode = Dictionary(uniqueKeysWithValues: bays.map { ($0.spec.code.rawValue, $0) })
        var byDevice: [String: BayRecord] = [:]
        for bay in bays {
            if let sensor = bay.spec.sensorID { byDevice[sensor] = bay }
            if let camera = bay.spec.cameraID, byDevice[camera] == nil { byDevice[camera] = bay }
        }
        let zones = try await registry.zones()
        let zoneOfSegment = Dictionary(uniqueKeysWithValues: try await registry.segments().map { ($0.spec.id, $0.spec.zoneID) })
        let operatorName = zones.first?.spec.operatorName
        let events: [Components.Schemas.CDSEvent] = try await CurbEvents(database: try database).events(from: window.lowerBound, until: window.upperBound)
            .compactMap { event in
                guard let bay = event.bay.flatMap({ byCode[$0] }) ?? event.device.flatMap({ byDevice[$0] }) else { return nil }
                let (source, device) = Self.source(of: event, at: bay)
                let key = event.session ?? "\(event.device ?? ""):\(event.at)"
                return Components.Schemas.CDSEvent(
                    eventId: CDSIdentifier.uuid("event", "\(event.kind.rawValue):\(key)"), eventType: .init(rawValue: event.kind.rawValue)!,
                    eventLocation: .init(_type: .point, coordinates: [bay.spec.position.longitude, bay.spec.position.latitude]),
                    eventTime: event.at, eventPublicationTime: max(event.publishedAt, event.at),
                    eventSessionId: event.session.map { CDSIdentifier.uuid("session", $0) }, curbZoneId: CDSIdentifier.zone(bay.spec.segmentID),
                    curbAreaIds: zoneOfSegment[bay.spec.segmentID].map { [CDSIdentifier.area($0)] } ?? [],
                    curbSpaceId: CDSIdentifier.space(bay.spec.code.rawValue), dataSourceType: source,
                    dataSourceDeviceId: CDSIdentifier.uuid("device", device), dataSourceDeviceName: device, dataSourceOperatorName: operatorName
                )
            }
            .filter { event in
                input.query.curbZoneId.map { $0.lowercased() == event.curbZoneId } ?? true
                    && input.query.curbSpaceId.map { $0.lowercased() == event.curbSpaceId } ?? true
            }
        let envelope = cdsEnvelope(zones, updated: nil)
        return .ok(.init(body: .applicationVnd_cdsJsonVersion_1_1(.init(value1: envelope, value2: .init(data: .init(events: events))))))
    }

    /// Which kind of device saw an event, and which device: a camera read the stay's plate, an officer started it by hand, or the bay's detector saw it.
    static func source(of event: CurbEvents.Event, at bay: BayRecord) -> (Components.Schemas.CDSEvent.DataSourceTypePayload, String) {
        if let device = event.device {
            return (event.deviceKind == "camera" ? .camera : .inGround, device)
        }
        switch event.quality {
        case ParkingSession.Quality.videoConfirmed.rawValue?: return (.camera, bay.spec.cameraID ?? "camera")
        case ParkingSession.Quality.patrolEntered.rawValue?: return (.inPerson, "patrol")
        default: return (.inGround, bay.spec.sensorID ?? "detector")
        }
    }

    /// `YYYY-MM-DDTHH` as the UTC hour it names; nothing, the last 60 minutes.
    static func eventWindow(_ text: String?, now: Int64) throws -> Range<Int64> {
        guard let text else { return now - Milliseconds.hour..<now + 1 }
        let parts = text.split(separator: "T")
        guard parts.count == 2, let day = LocalDate(parts[0]), parts[1].count == 2, let hour = Int(parts[1]), (0..<24).contains(hour) else {
            throw APIError.badRequest(CDSErrorCode.invalidEventTime, "event_time '\(text)' is not a UTC hour such as 2026-11-20T07.")
        }
        let start = (Int64(day.dayNumber) * 86_400 + Int64(hour) * 3600) * 1000
        return start..<start + Milliseconds.hour
    }
}
