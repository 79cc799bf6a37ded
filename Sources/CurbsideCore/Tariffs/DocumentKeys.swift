/// Any key, for reading maps whose keys are data (zone classes) and for
/// finding keys a file has that the format does not know.
struct AnyKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
    }

    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }

    init(_ string: String) {
        stringValue = string
    }
}

extension Decoder {
    /// A misspelt key in a tariff would silently change a price; refuse keys the format does not know.
    func rejectUnknownKeys(_ known: Set<String>) throws {
        let container = try container(keyedBy: AnyKey.self)
        for key in container.allKeys where !known.contains(key.stringValue) {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "unknown key '\(key.stringValue)'; expected one of \(known.sorted().joined(separator: ", "))"
            )
        }
    }
}

extension KeyedDecodingContainer {
    func money(_ key: Key) throws -> Int {
        let text = try decode(String.self, forKey: key)
        guard let fen = Money.fen(fromYuan: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "'\(text)' is not an amount in yuan such as 2.50")
        }
        return fen
    }

    func moneyIfPresent(_ key: Key) throws -> Int? {
        try contains(key) ? money(key) : nil
    }

    func positive(_ key: Key, atMost limit: Int) throws -> Int {
        let value = try decode(Int.self, forKey: key)
        guard value > 0, value <= limit else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "must be between 1 and \(limit)")
        }
        return value
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: Key, default fallback: T) throws -> T where T.RawValue == String {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return fallback }
        guard let value = T(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "'\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return value
    }

    /// "07:30" as minutes after midnight; "24:00" allowed where `allowEndOfDay`.
    func clockMinute(_ key: Key, allowEndOfDay: Bool) throws -> Int {
        let text = try decode(String.self, forKey: key)
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0...59).contains(minutes), hours < 24 || (allowEndOfDay && hours == 24 && minutes == 0)
        else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "'\(text)' is not a time of day such as 07:30")
        }
        return hours * 60 + minutes
    }
}
