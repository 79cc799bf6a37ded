/// A licence plate as read by a camera or typed by a person, normalised and
/// checked against the plate formats of GA 36-2018 (and the military and
/// civil-aviation plates that share the road with them).
public struct Plate: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Ordinary plates: province, authority letter, five characters (blue small, yellow large, motorcycles, low-speed).
        case ordinary
        /// New-energy: province, authority letter, six characters.
        case newEnergy = "new_energy"
        /// Public security (警).
        case police
        /// Driving-school coaches (学).
        case coach
        case trailer
        /// Cross-border vehicles from Hong Kong (港) or Macao (澳).
        case hongKongMacao = "hong_kong_macao"
        /// Embassies (使) and consulates (领).
        case embassy
        case armedPolice = "armed_police"
        /// Emergency rescue (应急), since 2018.
        case emergency
        /// The army's plates: a branch character or two letters, then five digits.
        case military
        /// Civil aviation (民航), airport vehicles.
        case civilAviation = "civil_aviation"
        /// Vehicles under test (试) or over the size limits under permit (超).
        case trial
        /// Temporary plates (临).
        case temporary
        /// A camera's text that is none of the above: kept as read, never billed until patrol reads it.
        case unrecognised
    }

    /// Normalised text, e.g. 粤J12345.
    public let text: String
    public let kind: Kind

    public var description: String { text }

    static let provinces: Set<Character> = Set("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
    /// The single character after four serial characters that names the plate's kind.
    static let suffixes: [Character: Kind] = [
        "警": .police, "学": .coach, "挂": .trailer, "港": .hongKongMacao, "澳": .hongKongMacao, "领": .embassy, "试": .trial, "超": .trial,
    ]
    /// The branches of the army's 2012 plates (theatres, services, and the former military regions).
    static let militaryBranches: Set<Character> = Set("军北南东西中空海沈兰济广成火战")

    init(text: String, kind: Kind) {
        self.text = text
        self.kind = kind
    }

    /// Reads a plate: full-width characters folded, spaces, dots and dashes
    /// dropped, letters upper-cased, and O and I (which plates never use) read
    /// as 0 and 1 after the authority letter. Text that is no plate of GA 36 throws.
    public init(parsing input: some StringProtocol) throws(PlateError) {
        let characters = Array(CodeText.compact(input).filter { $0 != "·" && $0 != "•" })
        guard !characters.isEmpty else { throw .empty }
        self = try Self.classify(characters)
    }

    private static func classify(_ characters: [Character]) throws(PlateError) -> Plate {
        let text = String(characters)
        func serial(_ part: ArraySlice<Character>) -> Bool { part.allSatisfy(isSerial) }
        func digits(_ part: ArraySlice<Character>) -> Bool { part.allSatisfy { $0.isASCII && $0.isNumber } }
        switch characters[0] {
        case "W" where characters.count >= 2 && characters[1] == "J":
            // Armed police: WJ, an optional province, then four to six characters.
            let rest = characters.dropFirst(2)
            let body = rest.first.map(provinces.contains) == true ? rest.dropFirst() : rest
            guard (4...6).contains(body.count), serial(body) else { throw .badFormat(text) }
            return Plate(text: text, kind: .armedPolice)
        case "使":
            guard (6...7).contains(characters.count), digits(characters.dropFirst()) else { throw .badFormat(text) }
            return Plate(text: text, kind: .embassy)
        case "民":
            guard characters.count == 7, characters[1] == "航", serial(characters.dropFirst(2)) else { throw .badFormat(text) }
            return Plate(text: text, kind: .civilAviation)
        case "临":
            let rest = try classify(Array(characters.dropFirst()))
            guard rest.kind == .ordinary || rest.kind == .newEnergy else { throw .badFormat(text) }
            return Plate(text: text, kind: .temporary)
        case let first where militaryBranches.contains(first):
            guard characters.count == 7, isLetter(characters[1]), digits(characters.dropFirst(2)) else { throw .badFormat(text) }
            return Plate(text: text, kind: .military)
        case let first where first.isASCII && first.isLetter:
            // The army's older plates: two letters, five digits.
            guard characters.count == 7, isLetter(first), isLetter(characters[1]), digits(characters.dropFirst(2)) else {
                throw .unknownProvince(first)
            }
            return Plate(text: text, kind: .military)
        default:
            return try provincial(characters)
        }
    }

    /// Province, authority letter, then the serial and what follows it.
    private static func provincial(_ input: [Character]) throws(PlateError) -> Plate {
        var characters = input
        guard provinces.contains(characters[0]) else { throw .unknownProvince(characters[0]) }
        guard characters.count >= 2, isLetter(characters[1]) else { throw .badFormat(String(characters)) }
        for index in characters.indices.dropFirst(2) {
            if characters[index] == "O" { characters[index] = "0" }
            if characters[index] == "I" { characters[index] = "1" }
        }
        let text = String(characters)
        let serial = characters.dropFirst(2)
        if serial.count == 6, serial.suffix(2) == ["应", "急"] {
            guard serial.prefix(4).allSatisfy(isSerial) else { throw .badFormat(text) }
            return Plate(text: text, kind: .emergency)
        }
        if let last = serial.last, let special = suffixes[last] {
            guard serial.count == 5, serial.dropLast().allSatisfy(isSerial) else { throw .badFormat(text) }
            return Plate(text: text, kind: special)
        }
        switch serial.count {
        case 5:
            guard serial.allSatisfy(isSerial) else { throw .badFormat(text) }
            return Plate(text: text, kind: .ordinary)
        case 6:
            // Small new-energy cars carry a letter first (D electric, F hybrid ...), large ones last.
            guard serial.allSatisfy(isSerial), isEnergyLetter(serial.first!) || isEnergyLetter(serial.last!) else { throw .badFormat(text) }
            return Plate(text: text, kind: .newEnergy)
        default:
            throw .wrongLength(characters.count)
        }
    }

    static func isLetter(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return (65...90).contains(ascii) && ascii != 73 && ascii != 79
    }

    static func isSerial(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return (48...57).contains(ascii) || isLetter(character)
    }

    static func isEnergyLetter(_ character: Character) -> Bool {
        "ABCDEFGHJK".contains(character)
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
