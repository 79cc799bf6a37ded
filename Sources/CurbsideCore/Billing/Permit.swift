/// A standing arrangement that changes what a plate pays: monthly passes and
/// resident permits (paid for separately, so stays they cover cost nothing),
/// the exemption whitelist (ambulances, fire engines and other vehicles on
/// duty whose plates are ordinary) and disabled drivers' permits (priced by
/// the tariff's disabled class).
public struct Permit: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case monthly
        case resident
        case exempt
        case disabled
    }

    public var id: String
    public var kind: Kind
    /// Normalised plate text.
    public var plate: String
    /// The zone it holds in; nil for every zone.
    public var zoneID: String?
    /// UTC ms, from inclusive to exclusive.
    public var from: Int64
    public var until: Int64

    public init(id: String, kind: Kind, plate: String, zoneID: String?, from: Int64, until: Int64) {
        self.id = id
        self.kind = kind
        self.plate = plate
        self.zoneID = zoneID
        self.from = from
        self.until = until
    }

    /// Whether it covers a whole stay in a zone: a pass that runs out during the stay does not.
    public func covers(zone: String, from start: Int64, to end: Int64) -> Bool {
        (zoneID == nil || zoneID == zone) && from <= start && end <= until
    }
}
