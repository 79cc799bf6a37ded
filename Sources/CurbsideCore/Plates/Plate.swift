/// A licence plate as read by a camera or typed by a person, normalised and
/// checked against the Chinese plate formats (GA 36).
public struct Plate: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Ordinary plates: province, authority letter, five characters (blue small, yellow large).
        case ordinary
        /// New-energy: province, authority letter, six characters.
        case newEnergy = "new_energy"
        case police
        /// Driving-school coaches (学).
        case coach
        case trailer
        /// Cross-border vehicles from Hong Kong (港) or Macao (澳).
        case hongKongMacao = "hong_kong_macao"
        /// Embassies (使) and consulates (领).
        case embassy
        case armedPolice = "armed_police"
    }

    /// Normalised text, e.g. 粤J12345.
    public let text: String
    public let kind: Kind

    public var description: String { text }

    static let provinces: Set<Character> = Set("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
    static let suffixes: [Character: Kind] = ["警": .police, "学": .coach, "挂": .trailer, "港": .hongKongMacao, "澳": .hongKongMacao, "领": .embassy]

    /// Reads a plate: full-width characters folded, spaces, dots and dashes
    /// dropped, letters upper-cased, and O and I (which plates never use) read
    /// as 0 and 1 after the authority letter.
    public init(parsing input: some StringProtocol) throws(PlateError) {
        var characters = Array(CodeText.compact(input).filter { $0 != "·" && $0 != "•" })
        guard !characters.isEmpty else { throw .empty }
        if characters.count >= 2, characters[0] == "W", characters[1] == "J" {
            // Armed police: WJ, an optional province, then five characters.
            let rest = Array(characters.dropFirst(2))
            let body = rest.first.map(Self.provinces.contains) == true ? Array(rest.dropFirst()) : rest
            guard (4...6).contains(body.count), body.allSatisfy(Self.isSerial) else { throw .badFormat(String(characters)) }
            text = String(characters)
            kind = .armedPolice
            return
        }
        if characters[0] == "使" {
            guard (6...7).contains(characters.count), characters.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw .badFormat(String(characters))
            }
            text = String(characters)
            kind = .embassy
            return
        }
        guard Self.provinces.contains(characters[0]) else { throw .unknownProvince(characters[0]) }
        guard characters.count >= 2, let letter = characters[1].asciiValue, (65...90).contains(letter), letter != 73, letter != 79 else {
            throw .badFormat(String(characters))
        }
        for index in characters.indices.dropFirst(2) {
            if characters[index] == "O" { characters[index] = "0" }
            if characters[index] == "I" { characters[index] = "1" }
        }
        let serial = Array(characters.dropFirst(2))
        if let last = serial.last, let special = Self.suffixes[last] {
            guard serial.count == 5, serial.dropLast().allSatisfy(Self.isSerial) else { throw .badFormat(String(characters)) }
            kind = special
        } else if serial.count == 5 {
            guard serial.allSatisfy(Self.isSerial) else { throw .badFormat(String(characters)) }
            kind = .ordinary
        } else if serial.count == 6 {
            // Small new-energy cars carry a letter first (D electric, F hybrid ...), large ones last.
            guard serial.allSatisfy(Self.isSerial), Self.isEnergyLetter(serial.first!) || Self.isEnergyLetter(serial.last!) else {
                throw .badFormat(String(characters))
            }
            kind = .newEnergy
        } else {
            throw .wrongLength(characters.count)
        }
        text = String(characters)
    }

    static func isSerial(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return (48...57).contains(ascii) || ((65...90).contains(ascii) && ascii != 73 && ascii != 79)
    }

    static func isEnergyLetter(_ character: Character) -> Bool {
        "ABCDEFGHJK".contains(character)
    }

    /// Characters cameras confuse (京N/京M, 京E/京F, 0/D, 8/B ...): a plate read
    /// differing from another in one such pair is taken for the same plate misread.
    public static let confusable: Set<Set<Character>> = [["N", "M"], ["E", "F"], ["0", "D"], ["8", "B"], ["1", "7"], ["5", "S"], ["2", "Z"], ["6", "G"], ["0", "Q"], ["U", "V"], ["H", "N"]]

    public func isProbableMisread(of other: Plate) -> Bool {
        let a = Array(text), b = Array(other.text)
        guard a.count == b.count, a != b else { return false }
        let differences = zip(a, b).filter { $0 != $1 }
        return differences.count == 1 && Self.confusable.contains([differences[0].0, differences[0].1])
    }
}

/// Why a text is not a plate.
public enum PlateError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case unknownProvince(Character)
    case wrongLength(Int)
    case badFormat(String)

    public var code: String {
        switch self {
        case .empty: "plate_empty"
        case .unknownProvince: "plate_unknown_province"
        case .wrongLength: "plate_wrong_length"
        case .badFormat: "plate_bad_format"
        }
    }

    public var description: String {
        switch self {
        case .empty: "A plate is needed."
        case let .unknownProvince(character): "'\(character)' is not a province abbreviation; a plate starts with one, such as 粤."
        case let .wrongLength(count): "A plate has 7 characters, or 8 for new-energy vehicles; this one has \(count)."
        case let .badFormat(text): "\(text) is not a valid plate: after the province comes a letter (never I or O), then digits and letters."
        }
    }
}
