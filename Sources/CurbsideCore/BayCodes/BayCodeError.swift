/// Why a string is not a bay code.
public enum BayCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    /// A character that is neither a digit nor, in last place, the check character X.
    case invalidCharacter(Character, position: Int)
    /// Lengths count the check character.
    case wrongLength(Int)
    /// The digits are well formed but the check character does not match them.
    case checkMismatch(entered: String, expected: Character)
    /// A full code whose division prefix is not this city's.
    case foreignDivision(String)

    public var code: String {
        switch self {
        case .empty: "bay_code_empty"
        case .invalidCharacter: "bay_code_invalid_character"
        case .wrongLength: "bay_code_wrong_length"
        case .checkMismatch: "bay_code_check_failed"
        case .foreignDivision: "bay_code_other_city"
        }
    }

    public var description: String {
        switch self {
        case .empty:
            return "A bay code is needed."
        case let .invalidCharacter(character, position):
            return "'\(character)' at position \(position) cannot be in a bay code: it has digits and a final check character (0-9 or X)."
        case let .wrongLength(length):
            let lengths = BayCode.lengths
            return "A bay code has \(lengths.lowerBound) to \(lengths.upperBound) characters; this one has \(length)."
        case let .checkMismatch(entered, expected):
            return "\(entered) fails its check: one character is wrong or two are swapped (for these digits the check character would be \(expected))."
        case let .foreignDivision(division):
            return "This full code belongs to division \(division), not to this city."
        }
    }
}
