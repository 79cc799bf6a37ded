import CurbsideCore
import Foundation

/// The kinds of device event, as stored.
public enum EventKind: Int16, Sendable, CaseIterable {
    case sensorChange = 1, heartbeat, cameraArrival, cameraDeparture, cameraRead
    case patrolStart, patrolEnd, patrolPlate, patrolPhotos

    public var name: String {
        switch self {
        case .sensorChange: "sensor_change"
        case .heartbeat: "heartbeat"
        case .cameraArrival: "camera_arrival"
        case .cameraDeparture: "camera_departure"
        case .cameraRead: "camera_read"
        case .patrolStart: "patrol_start"
        case .patrolEnd: "patrol_end"
        case .patrolPlate: "patrol_plate"
        case .patrolPhotos: "patrol_photos"
        }
    }

    /// Entered by an officer's handheld, not reported by a device.
    public var isPatrol: Bool { rawValue >= EventKind.patrolStart.rawValue }

    public init(_ payload: DeviceEvent.Payload) {
        switch payload {
        case .sensorChange: self = .sensorChange
        case .heartbeat: self = .heartbeat
        case .cameraArrival: self = .cameraArrival
        case .cameraDeparture: self = .cameraDeparture
        case .cameraRead: self = .cameraRead
        case .patrolStart: self = .patrolStart
        case .patrolEnd: self = .patrolEnd
        case .patrolPlate: self = .patrolPlate
        case .patrolPhotos: self = .patrolPhotos
        }
    }

    public init?(name: String) {
        guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }
}

/// Where and by what an evidence image was taken (seed 003 附件 第五条).
public struct EvidenceImageRef: Codable, Hashable, Sendable {
    public var sha256: String
    public var capturedMs: Int64
    public var deviceID: String
    public var longitude: Double
    public var latitude: Double

    public init(sha256: String, capturedMs: Int64, deviceID: String, longitude: Double, latitude: Double) {
        self.sha256 = sha256
        self.capturedMs = capturedMs
        self.deviceID = deviceID
        self.longitude = longitude
        self.latitude = latitude
    }
}

/// A device event checked against the registry, as it is stored.
public struct EventRow: Sendable, Equatable {
    public var deviceID: String
    public var eventID: String
    public var gatewayID: String
    /// nil for a camera's own heartbeat, which is about the device, not a bay.
    public var bay: BayCode?
    public var zoneID: String?
    public var kind: EventKind
    public var deviceTime: Int64
    public var receivedTime: Int64
    public var occupied: Bool?
    public var battery: Int?
    public var rssi: Int?
    public var temperatureDeci: Int?
    public var plate: Plate?
    public var plateColour: PlateColour?
    public var plateConfidence: Int?
    public var images: [EvidenceImageRef]

    public init(
        deviceID: String, eventID: String, gatewayID: String, bay: BayCode?, zoneID: String?, kind: EventKind, deviceTime: Int64,
        receivedTime: Int64, occupied: Bool?, battery: Int?, rssi: Int?, temperatureDeci: Int?, plate: Plate?, plateColour: PlateColour?,
        plateConfidence: Int?, images: [EvidenceImageRef]
    ) {
        self.deviceID = deviceID
        self.eventID = eventID
        self.gatewayID = gatewayID
        self.bay = bay
        self.zoneID = zoneID
        self.kind = kind
        self.deviceTime = deviceTime
        self.receivedTime = receivedTime
        self.occupied = occupied
        self.battery = battery
        self.rssi = rssi
        self.temperatureDeci = temperatureDeci
        self.plate = plate
        self.plateColour = plateColour
        self.plateConfidence = plateConfidence
        self.images = images
    }

    public var key: String { deviceID + "/" + eventID }

    /// The state of the bay the event reports, if it reports one.
    public var reportedOccupancy: Bool? {
        switch kind {
        case .sensorChange, .heartbeat: occupied
        case .cameraArrival, .cameraRead, .patrolStart, .patrolPlate: true
        case .cameraDeparture, .patrolEnd: false
        case .patrolPhotos: nil
        }
    }

    /// The event as the fold reads it; nil for events about no bay.
    public var deviceEvent: DeviceEvent? {
        guard let bay else { return nil }
        let read = plate.map { PlateRead(plate: $0, colour: plateColour ?? .unknown, confidence: plateConfidence ?? 0, images: images.map(\.sha256)) }
        let payload: DeviceEvent.Payload
        switch kind {
        case .sensorChange:
            guard let occupied else { return nil }
            payload = .sensorChange(occupied: occupied)
        case .heartbeat:
            payload = .heartbeat(Heartbeat(occupied: occupied, battery: battery, rssi: rssi, temperatureDeci: temperatureDeci))
        case .cameraArrival:
            payload = .cameraArrival(read)
        case .cameraDeparture:
            payload = .cameraDeparture(read)
        case .cameraRead:
            guard let read else { return nil }
            payload = .cameraRead(read)
        case .patrolStart:
            payload = .patrolStart(read)
        case .patrolEnd:
            payload = .patrolEnd
        case .patrolPlate:
            guard let read else { return nil }
            payload = .patrolPlate(read)
        case .patrolPhotos:
            payload = .patrolPhotos(images.map(\.sha256))
        }
        return DeviceEvent(deviceID: deviceID, eventID: eventID, bay: bay, deviceTime: deviceTime, receivedTime: receivedTime, payload: payload)
    }
}
