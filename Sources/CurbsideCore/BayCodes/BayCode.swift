/// A bay's short code: the city-unique digits painted on the kerb, then one
/// ISO 7064 MOD 11-2 check character. See docs/bay-codes.md.
public struct BayCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Body digits without the check character.
    public static let bodyLengths = 5...8
    /// Whole code lengths, check character included.
    public static let lengths = 6...9

    /// The canonical form: body digits followed by the check character.
    public let rawValue: String

    public var body: Substring { rawValue.dropLast() }
    public var check: Character { rawValue.last! }
    public var description: String { rawValue }

    /// The code for a body of digits, computing its check character.
    public init(body: String) throws(BayCodeError) {
        guard !body.isEmpty else { throw .empty }
        let digits = try Self.digits(of: Substring(body), checkAllowed: false)
        guard Self.bodyLengths.contains(digits.count) else { throw .wrongLength(digits.count + 1) }
        rawValue = body + String(Mod11_2.character(for: Mod11_2.checkValue(for: digits)))
    }

    /// Parses what a person typed: width-folded, separators dropped, lower case accepted.
    public init(parsing input: some StringProtocol) throws(BayCodeError) {
        let text = CodeText.compact(input)
        guard !text.isEmpty else { throw .empty }
        let digits = try Self.digits(of: Substring(text), checkAllowed: true)
        guard Self.lengths.contains(digits.count) else { throw .wrongLength(digits.count) }
        let body = digits.dropLast()
        let expected = Mod11_2.checkValue(for: body)
        guard expected == digits.last! else {
            throw .checkMismatch(entered: text, expected: Mod11_2.character(for: expected))
        }
        rawValue = text
    }

    /// Whether a canonical string is a valid code, without allocating errors.
    public static func isValid(_ canonical: String) -> Bool {
        (try? BayCode(parsing: canonical))?.rawValue == canonical
    }

    public static func < (lhs: BayCode, rhs: BayCode) -> Bool {
        lhs.rawValue.count == rhs.rawValue.count ? lhs.rawValue < rhs.rawValue : lhs.rawValue.count < rhs.rawValue.count
    }

    /// Digit values; X (10) only in last place and only when `checkAllowed`.
    static func digits(of text: Substring, checkAllowed: Bool) throws(BayCodeError) -> [UInt8] {
        var values: [UInt8] = []
        values.reserveCapacity(text.count)
        let last = text.count - 1
        for (offset, character) in text.enumerated() {
            if let ascii = character.asciiValue, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(ascii) {
                values.append(ascii - UInt8(ascii: "0"))
            } else if character == "X" && checkAllowed && offset == last {
                values.append(10)
            } else {
                throw .invalidCharacter(character, position: offset + 1)
            }
        }
        return values
    }
}

extension BayCode: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try BayCode(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
