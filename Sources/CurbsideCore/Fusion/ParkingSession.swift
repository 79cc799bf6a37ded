/// A vehicle's stay in one bay, as the devices (or a patrol officer) saw it.
public struct ParkingSession: Hashable, Sendable, Codable {
    public enum Quality: String, Sendable, Codable, CaseIterable {
        /// A camera read the plate.
        case videoConfirmed = "video_confirmed"
        /// No camera read the plate: only the bay detector saw the stay (an officer may have given the plate).
        case sensorOnly = "sensor_only"
        /// Started by hand by a patrol officer.
        case patrolEntered = "patrol_entered"
    }

    /// What is uncertain about a session, for billing and for patrol.
    public struct Flags: OptionSet, Hashable, Sendable, Codable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// The arrival was not seen: the start is when the car was first known to be there.
        public static let startEstimated = Flags(rawValue: 1 << 0)
        /// The departure was not seen: the end is when the car was last known to be there.
        public static let endEstimated = Flags(rawValue: 1 << 1)
        /// Ended because a camera saw another vehicle arrive before the detector saw this one leave.
        public static let endedByNextArrival = Flags(rawValue: 1 << 2)
        /// A later, surer camera read corrected the plate.
        public static let plateCorrected = Flags(rawValue: 1 << 3)
        /// The devices went silent while the session was open: patrol must confirm it before it is billed.
        public static let outage = Flags(rawValue: 1 << 4)
        /// The camera read another plate at departure.
        public static let departurePlateMismatch = Flags(rawValue: 1 << 5)
        /// A patrol officer confirmed or corrected the plate on the street: cameras no longer change it.
        public static let patrolConfirmed = Flags(rawValue: 1 << 6)
        /// A patrol officer ended the session by hand.
        public static let patrolEnded = Flags(rawValue: 1 << 7)
        /// A camera kept reading another plate while the bay's detector saw no car leave: patrol checks the car.
        public static let plateContested = Flags(rawValue: 1 << 8)
        /// The camera's text is no plate format: patrol reads the plate before the stay is billed.
        public static let plateUnrecognised = Flags(rawValue: 1 << 9)

        public static let names: [(Flags, String)] = [
            (.startEstimated, "start_estimated"), (.endEstimated, "end_estimated"), (.endedByNextArrival, "ended_by_next_arrival"),
            (.plateCorrected, "plate_corrected"), (.outage, "outage"), (.departurePlateMismatch, "departure_plate_mismatch"),
            (.patrolConfirmed, "patrol_confirmed"), (.patrolEnded, "patrol_ended"), (.plateContested, "plate_contested"),
            (.plateUnrecognised, "plate_unrecognised"),
        ]

        public var names: [String] { Self.names.filter { contains($0.0) }.map(\.1) }

        public init(names: [String]) {
            self = Flags(Self.names.filter { names.contains($0.1) }.map(\.0))
        }
    }

    public var bay: BayCode
    /// Milliseconds since 1970 (UTC).
    public var start: Int64
    /// nil while the vehicle is still there.
    public var end: Int64?
    /// The surest plate read, if a camera saw the vehicle.
    public var plate: PlateRead?
    /// The event the plate was taken from.
    public var plateSource: String?
    public var quality: Quality
    public var flags: Flags
    /// Evidence image digests from every camera event of the session, in order.
    public var evidence: [String]
    /// The last time any device reported on the bay while the session was open.
    public var lastEvidence: Int64

    public init(
        bay: BayCode, start: Int64, end: Int64?, plate: PlateRead?, plateSource: String?, quality: Quality, flags: Flags,
        evidence: [String], lastEvidence: Int64
    ) {
        self.bay = bay
        self.start = start
        self.end = end
        self.plate = plate
        self.plateSource = plateSource
        self.quality = quality
        self.flags = flags
        self.evidence = evidence
        self.lastEvidence = lastEvidence
    }

    /// Deterministic from the events: the bay and the start.
    public var id: String { "\(bay.rawValue)-\(start)" }

    /// Whether billing may use the session without a person looking at it first.
    public var isBillable: Bool { end != nil && !flags.contains(.outage) }
}
