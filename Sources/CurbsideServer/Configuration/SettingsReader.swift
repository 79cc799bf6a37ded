import Foundation
import Configuration

/// Reads one area's settings through swift-configuration and refuses a value
/// that cannot be used with a message naming the variable an operator sets.
/// An empty value counts as unset, as it always has in Curbside.
struct SettingsReader {
    private let reader: ConfigReader
    private let path: [String]

    init(_ reader: ConfigReader) {
        self.reader = reader
        self.path = []
    }

    private init(reader: ConfigReader, path: [String]) {
        self.reader = reader
        self.path = path
    }

    /// The settings under `component` (`curbside`, then `arrears`, ...).
    func scoped(to component: String) -> SettingsReader {
        SettingsReader(reader: reader.scoped(to: ConfigKey([component])), path: path + [component])
    }

    /// The environment variable `key` is read from, by swift-configuration's rule:
    /// words of a camel-case component split, upper case, components joined by `_`.
    func variable(_ key: String) -> String {
        (path + [key]).map { component in
            var name = ""
            var previous: Character?
            for character in component {
                if let previous, previous.isLowercase, character.isUppercase { name.append("_") }
                name.append(character.isLetter || character.isNumber ? Character(character.uppercased()) : "_")
                previous = character
            }
            return name
        }.joined(separator: "_")
    }

    /// The text set for `key`, or nil when unset or empty.
    func text(_ key: String, isSecret: Bool = false) -> String? {
        reader.string(forKey: ConfigKey([key]), isSecret: isSecret).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The value set for `key` read as `T`; nil when unset.
    func value<T: SettingValue>(_ key: String, as type: T.Type, isSecret: Bool = false) throws -> T? {
        guard let text = text(key, isSecret: isSecret) else { return nil }
        guard let value = T(setting: text) else {
            throw refusal(key, "expected \(T.expectation)", text: text, isSecret: isSecret)
        }
        return value
    }

    func flag(_ key: String, default fallback: Bool) throws -> Bool {
        try value(key, as: Flag.self)?.isOn ?? fallback
    }

    func whole(_ key: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = text(key) else { return fallback }
        guard let number = Int(text), range.contains(number) else {
            throw refusal(key, "expected a whole number from \(range.lowerBound) to \(range.upperBound)", text: text)
        }
        return number
    }

    /// A period written in whole seconds, returned in milliseconds.
    func seconds(_ key: String, defaultMilliseconds fallback: Int64, max: Int64 = 366 * 86_400) throws -> Int64 {
        guard let text = text(key) else { return fallback }
        guard let number = Int64(text), (1...max).contains(number) else {
            throw refusal(key, "expected a whole number of seconds from 1 to \(max)", text: text)
        }
        return number * 1000
    }

    /// The contents of the file `key` names.
    func fileContents(_ key: String) throws -> String? {
        guard let path = text(key) else { return nil }
        guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError(variable: variable(key), reason: "cannot read '\(path)'")
        }
        return contents
    }

    /// A secret's value is never repeated in the message: it would reach the log.
    func refusal(_ key: String, _ expectation: String, text: String, isSecret: Bool = false) -> ConfigurationError {
        ConfigurationError(variable: variable(key), reason: isSecret ? expectation : "\(expectation), got '\(text)'")
    }
}
