/// Something a patrol officer did on the street, as the handheld records it:
/// online it is sent at once, offline it is queued and sent later in a batch.
/// The client's id makes sending it twice harmless; `at` is when it happened.
public struct StreetAction: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// Start a stay by hand where the devices missed the car.
        case sessionStart = "session_start"
        /// End a stay by hand: the officer found the bay free.
        case sessionEnd = "session_end"
        /// Confirm or correct the plate of the car in the bay, with a photo.
        case plate
        /// Photograph the car in the bay.
        case photos
        /// Cash taken for one or several bills.
        case cash
        /// A printed notice left on the car.
        case notice

        /// Actions that become events of the bay and fold into its sessions.
        public var isEvent: Bool { self == .sessionStart || self == .sessionEnd || self == .plate || self == .photos }
    }

    /// Cash taken for one bill.
    public struct CashLine: Hashable, Sendable, Codable {
        public var bill: String
        public var fen: Int

        public init(bill: String, fen: Int) {
            self.bill = bill
            self.fen = fen
        }
    }

    public var clientID: String
    public var kind: Kind
    /// When it happened, milliseconds since 1970 (UTC).
    public var at: Int64
    public var bay: BayCode?
    public var plate: Plate?
    public var colour: PlateColour?
    /// SHA-256 digests of photos uploaded before the action.
    public var photos: [String]
    public var cash: [CashLine]

    public init(
        clientID: String, kind: Kind, at: Int64, bay: BayCode?, plate: Plate? = nil, colour: PlateColour? = nil, photos: [String] = [],
        cash: [CashLine] = []
    ) {
        self.clientID = clientID
        self.kind = kind
        self.at = at
        self.bay = bay
        self.plate = plate
        self.colour = colour
        self.photos = photos
        self.cash = cash
    }

    /// The plate as the officer read it: certain, with the photos as its evidence.
    public var read: PlateRead? {
        plate.map { PlateRead(plate: $0, colour: colour ?? .unknown, confidence: 1000, images: photos) }
    }

    /// The event an action on a bay becomes, from the officer's handheld (`patrol:<staff>`), or nil for cash and notices.
    public func event(officer: String, receivedAt: Int64) -> DeviceEvent? {
        guard let bay else { return nil }
        let payload: DeviceEvent.Payload
        switch kind {
        case .sessionStart: payload = .patrolStart(read)
        case .sessionEnd: payload = .patrolEnd
        case .plate:
            guard let read else { return nil }
            payload = .patrolPlate(read)
        case .photos: payload = .patrolPhotos(photos)
        case .cash, .notice: return nil
        }
        return DeviceEvent(deviceID: Self.device(officer), eventID: clientID, bay: bay, deviceTime: at, receivedTime: receivedAt, payload: payload)
    }

    /// The device id an officer's events carry.
    public static func device(_ officer: String) -> String { "patrol:" + officer }
}
