/// The nationally unique form of a bay code: the city's division code followed
/// by the bay's short code, e.g. 440784 + 10010013 = 44078410010013.
public struct FullBayCode: Hashable, Sendable, CustomStringConvertible {
    public let division: DivisionCode
    public let code: BayCode

    public init(division: DivisionCode, code: BayCode) {
        self.division = division
        self.code = code
    }

    public var rawValue: String { division.rawValue + code.rawValue }
    public var description: String { rawValue }

    /// Reads either a full code or, when `city` is given, a bare short code of that city.
    /// A full code of another city is refused rather than silently accepted.
    public init(parsing input: some StringProtocol, city: DivisionCode) throws(BayCodeError) {
        let text = CodeText.compact(input)
        if text.count > BayCode.lengths.upperBound, let division = DivisionCode(text.prefix(6)) {
            guard division == city else { throw .foreignDivision(division.rawValue) }
            self.init(division: division, code: try BayCode(parsing: text.dropFirst(6)))
        } else {
            self.init(division: city, code: try BayCode(parsing: text))
        }
    }
}
