/// One thing a device reported about one bay. Events are facts: stored once,
/// never changed, and folded into parking sessions.
public struct DeviceEvent: Hashable, Sendable {
    public enum Payload: Hashable, Sendable {
        /// A geomagnetic detector saw the bay become occupied or free.
        case sensorChange(occupied: Bool)
        /// A detector's periodic report, with the state it currently measures.
        case heartbeat(Heartbeat)
        /// A camera saw a vehicle arrive at the bay.
        case cameraArrival(PlateRead?)
        /// A camera saw the vehicle leave.
        case cameraDeparture(PlateRead?)
        /// A camera read the plate of a vehicle standing in the bay.
        case cameraRead(PlateRead)
        /// A patrol officer found a vehicle in the bay (with its plate, if read) and started its stay by hand.
        case patrolStart(PlateRead?)
        /// A patrol officer found the bay free and ended the stay by hand.
        case patrolEnd
        /// A patrol officer confirmed or corrected the plate of the vehicle in the bay, with photos.
        case patrolPlate(PlateRead)
        /// A patrol officer photographed the vehicle in the bay.
        case patrolPhotos([String])
    }

    /// The device and its own id for the event: together they are the event's identity.
    public var deviceID: String
    public var eventID: String
    public var bay: BayCode
    /// When the device says it happened, in milliseconds since 1970 (UTC).
    public var deviceTime: Int64
    /// When Curbside received it.
    public var receivedTime: Int64
    public var payload: Payload

    public init(deviceID: String, eventID: String, bay: BayCode, deviceTime: Int64, receivedTime: Int64, payload: Payload) {
        self.deviceID = deviceID
        self.eventID = eventID
        self.bay = bay
        self.deviceTime = deviceTime
        self.receivedTime = receivedTime
        self.payload = payload
    }

    /// "device/event", unique over all events.
    public var key: String { deviceID + "/" + eventID }

    public var isSensorEvent: Bool {
        switch payload {
        case .sensorChange, .heartbeat: true
        default: false
        }
    }

    /// A camera's arrival, departure or read of a plate.
    public var isCameraEvent: Bool {
        switch payload {
        case .cameraArrival, .cameraDeparture, .cameraRead: true
        default: false
        }
    }

    /// Entered by a patrol officer rather than reported by a device.
    public var isPatrolEvent: Bool {
        switch payload {
        case .patrolStart, .patrolEnd, .patrolPlate, .patrolPhotos: true
        default: false
        }
    }
}

/// What a detector reports every few minutes.
public struct Heartbeat: Hashable, Sendable {
    public var occupied: Bool?
    /// Percent.
    public var battery: Int?
    /// dBm.
    public var rssi: Int?
    /// Tenths of a degree Celsius, to keep the type exact.
    public var temperatureDeci: Int?

    public init(occupied: Bool?, battery: Int?, rssi: Int?, temperatureDeci: Int?) {
        self.occupied = occupied
        self.battery = battery
        self.rssi = rssi
        self.temperatureDeci = temperatureDeci
    }
}

/// A camera's reading of a plate, with its evidence.
public struct PlateRead: Hashable, Sendable, Codable {
    public var plate: Plate
    public var colour: PlateColour
    /// 0...1000 (per mille), so that comparisons are exact.
    public var confidence: Int
    /// SHA-256 digests of the evidence images, in capture order.
    public var images: [String]

    public init(plate: Plate, colour: PlateColour, confidence: Int, images: [String]) {
        self.plate = plate
        self.colour = colour
        self.confidence = confidence
        self.images = images
    }
}
