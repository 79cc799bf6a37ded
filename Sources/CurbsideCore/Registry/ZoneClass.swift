/// Zone class: 1 is the busiest, dearest area (city centre), 3 the outskirts.
public enum ZoneClass: Int, Sendable, Codable, CaseIterable, Comparable {
    case one = 1, two = 2, three = 3

    public static func < (lhs: ZoneClass, rhs: ZoneClass) -> Bool { lhs.rawValue < rhs.rawValue }
}
