/// A GB/T 2260 administrative division code: two digits of province, two of
/// prefecture, two of county. 440784 is Heshan, Jiangmen, Guangdong.
public struct DivisionCode: Hashable, Sendable, CustomStringConvertible, Codable {
    /// Province-level prefixes in GB/T 2260 (71 Taiwan, 81 Hong Kong, 82 Macao included).
    static let provinces: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82",
    ]

    public let rawValue: String
    public var description: String { rawValue }

    public init?(_ text: some StringProtocol) {
        let compact = CodeText.compact(text)
        guard compact.count == 6, compact.allSatisfy({ $0.isASCII && $0.isNumber }),
              Self.provinces.contains(String(compact.prefix(2)))
        else { return nil }
        rawValue = compact
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let code = DivisionCode(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a GB/T 2260 division code")
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
