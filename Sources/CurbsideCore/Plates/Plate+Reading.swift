extension Plate {
    /// What cameras send when they saw a vehicle but no plate: no text, or
    /// one of these words (compared after upper-casing).
    static let noPlateMarkers: Set<String> = ["无牌", "无车牌", "无牌车", "未识别", "无法识别", "NONE", "NULL", "UNKNOWN", "NOPLATE"]

    /// The longest text kept of a read that is no plate.
    public static let maxUnrecognisedLength = 16

    /// A camera's reading: a plate of GA 36 if it is one; nil when the camera
    /// says it could not read one; otherwise the text as read, kept as an
    /// unrecognised plate so the stay stands and patrol can read it.
    public static func reading(_ input: some StringProtocol) -> Plate? {
        let compact = CodeText.compact(input).filter { $0 != "·" && $0 != "•" && $0 != "_" && $0 != "*" && $0 != "?" }
        guard !compact.isEmpty, !noPlateMarkers.contains(String(compact)) else { return nil }
        if let plate = try? Plate(parsing: compact) { return plate }
        return Plate(text: String(compact.prefix(maxUnrecognisedLength)), kind: .unrecognised)
    }

    /// A stored plate's text, read back as it was stored.
    public init(stored text: String) {
        self = (try? Plate(parsing: text)) ?? Plate(text: text, kind: .unrecognised)
    }
}
