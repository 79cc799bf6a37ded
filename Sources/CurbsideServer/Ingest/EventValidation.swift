import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

/// Checks one event of a batch against the contract's rules and the registry,
/// and turns it into the row that is stored. A refusal names the event by its
/// index in the batch and says why.
struct EventValidation {
    enum Outcome {
        case accepted(EventRow)
        case refused(ImportIssue)
    }

    let gateway: String
    let city: DivisionCode
    let bindings: DeviceBindings
    let now: Int64
    /// Device clocks run at most this far ahead of ours.
    static let futureAllowance: Int64 = 5 * Milliseconds.minute
    /// Events older than this are refused: a gateway this far behind needs a person.
    static let oldest: Int64 = 30 * Milliseconds.day

    func validate(_ input: Components.Schemas.DeviceEventInput, index: Int) -> Outcome {
        func refuse(_ code: String, _ message: String) -> Outcome {
            .refused(ImportIssue(index: index, id: input.eventId, code: code, message: message))
        }
        guard RegistryID.isValid(input.deviceId) else { return refuse("invalid_device_id", "device_id '\(input.deviceId)' is not a valid id.") }
        guard !input.eventId.isEmpty, input.eventId.count <= 64 else { return refuse("invalid_event_id", "event_id must be 1 to 64 characters.") }
        guard let device = bindings.devices[input.deviceId] else {
            return refuse("unknown_device", "Device \(input.deviceId) is bound to no bay in the registry.")
        }
        let time = input.time.milliseconds
        guard time <= now + Self.futureAllowance else { return refuse("time_in_future", "The event's time is more than 5 minutes ahead of the server's clock.") }
        guard time >= now - Self.oldest else { return refuse("too_old", "Events older than 30 days are not accepted.") }
        let kind = EventKind(name: input._type.rawValue)!

        var bay: BayCode?
        if let text = input.bay {
            do {
                bay = try FullBayCode(parsing: text, city: city).code
            } catch {
                return refuse(error.code, error.description)
            }
        } else if device.kind == .sensor, device.bays.count == 1 {
            bay = device.bays.first
        }
        switch (device.kind, kind) {
        case (.sensor, .sensorChange), (.sensor, .heartbeat), (.camera, .heartbeat):
            break
        case (.camera, .cameraArrival), (.camera, .cameraDeparture), (.camera, .cameraRead):
            break
        default:
            return refuse("wrong_device_kind", "A \(device.kind.rawValue) cannot send \(kind.name) events.")
        }
        if let bay {
            guard device.bays.contains(bay) else { return refuse("device_not_bound", "Device \(input.deviceId) is not bound to bay \(bay).") }
        } else if kind != .heartbeat || device.kind == .sensor {
            return refuse("bay_required", "A \(kind.name) event needs the bay it is about.")
        }
        if kind == .sensorChange && input.occupied == nil {
            return refuse("occupied_required", "A sensor_change says whether the bay is now occupied.")
        }

        var plate: Plate?
        var colour: PlateColour?
        var confidence: Int?
        if let read = input.plate {
            guard device.kind == .camera else { return refuse("wrong_device_kind", "Only cameras read plates.") }
            guard (0...1).contains(read.confidence) else { return refuse("invalid_confidence", "confidence is between 0 and 1.") }
            // A plate of no known format is kept as read (the stay stands, held for patrol); "no plate" is no read.
            plate = Plate.reading(read.text)
            if plate != nil {
                colour = read.colour.flatMap { PlateColour(rawValue: $0.rawValue) } ?? .unknown
                confidence = Int((read.confidence * 1000).rounded())
            }
        }
        if kind == .cameraRead && plate == nil {
            return refuse("plate_required", "A camera_read carries the plate it read.")
        }

        let images = (input.images ?? []).map {
            EvidenceImageRef(
                sha256: $0.sha256, capturedMs: $0.capturedAt.milliseconds, deviceID: $0.deviceId,
                longitude: $0.longitude, latitude: $0.latitude
            )
        }
        if let bad = images.first(where: { !Evidence.isDigest($0.sha256) }) {
            return refuse("invalid_image_digest", "Image digest '\(bad.sha256)' is not a lower-case hex SHA-256.")
        }
        if let bad = images.first(where: { GeoPoint(longitude: $0.longitude, latitude: $0.latitude) == nil }) {
            return refuse("invalid_image_location", "Image \(bad.sha256) has a location outside WGS-84 range.")
        }
        // Seed 003 附件 第五条: at least two images for every entry and exit.
        if (kind == .cameraArrival || kind == .cameraDeparture) && images.count < 2 {
            return refuse("evidence_incomplete", "Camera arrivals and departures need at least two evidence images.")
        }
        if let battery = input.battery, !(0...100).contains(battery) { return refuse("invalid_battery", "battery is a percentage, 0 to 100.") }
        if let rssi = input.rssi, !(-150...0).contains(rssi) { return refuse("invalid_rssi", "rssi is in dBm, -150 to 0.") }
        if let temperature = input.temperature, !(-60...100).contains(temperature) { return refuse("invalid_temperature", "temperature is in °C, -60 to 100.") }

        return .accepted(EventRow(
            deviceID: input.deviceId, eventID: input.eventId, gatewayID: gateway, bay: bay, zoneID: bay.flatMap { bindings.zones[$0] },
            kind: kind, deviceTime: time, receivedTime: now, occupied: input.occupied, battery: input.battery, rssi: input.rssi,
            temperatureDeci: input.temperature.map { Int(($0 * 10).rounded()) }, plate: plate, plateColour: colour,
            plateConfidence: confidence, images: images
        ))
    }
}
