/// The background colour of a Chinese plate. Codes are those of the handheld
/// order API and most camera SDKs: 0 unknown, 1 blue, 2 yellow, 3 white, 4 black, 5 green.
public enum PlateColour: String, Sendable, Codable, CaseIterable {
    case unknown, blue, yellow, white, black, green
    /// Large new-energy vehicles: yellow and green (黄绿双拼).
    case yellowGreen = "yellow_green"

    public var code: Int {
        switch self {
        case .unknown: 0
        case .blue: 1
        case .yellow: 2
        case .white: 3
        case .black: 4
        case .green: 5
        case .yellowGreen: 6
        }
    }

    public init?(code: Int) {
        guard let colour = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = colour
    }
}
