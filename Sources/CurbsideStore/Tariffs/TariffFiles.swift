import CurbsideCore
import Crypto
import Foundation
import Yams

/// A tariff or calendar file that cannot be used: the file, the key or line, and the reason.
public struct TariffFileError: Error, CustomStringConvertible {
    public var file: String
    public var location: String?
    public var reason: String

    public var description: String {
        "\(file)\(location.map { " (\($0))" } ?? ""): \(reason)"
    }
}

/// Reads Tariffs/: one tariff scheme per *.yaml, and holiday calendars in holidays-*.yaml
/// (concession*.yaml is the concession contract, read by `ConcessionFile`).
/// Every file is fully checked, so a bad one stops the start with its name and the key at fault.
public enum TariffFiles {
    public struct Loaded: Sendable {
        public var tariffs: [PricingSource]
        public var calendars: [PricingSource]
    }

    /// What a file in Tariffs/ holds, by its name; the one rule every reader of the folder follows.
    public enum FileKind: Sendable, Equatable {
        case tariff, calendar, concession
    }

    public static func kind(ofFile name: String) -> FileKind? {
        guard name.hasSuffix(".yaml") else { return nil }
        if name.hasPrefix("concession") { return .concession }
        return name.hasPrefix("holidays") ? .calendar : .tariff
    }

    /// The files of `directory` of one kind, sorted by name.
    public static func files(_ kind: FileKind, in directory: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).filter { Self.kind(ofFile: $0) == kind }.sorted()
        } catch {
            throw TariffFileError(file: directory, location: nil, reason: "cannot read the tariff directory")
        }
    }

    public static func load(directory: String) throws -> Loaded {
        let names = try files(.calendar, in: directory) + files(.tariff, in: directory)
        var loaded = Loaded(tariffs: [], calendars: [])
        var seen: [String: String] = [:]
        for name in names {
            let path = directory + "/" + name
            let (text, digest) = try read(path)
            if kind(ofFile: name) == .calendar {
                let calendar = try decode(HolidayCalendarDocument.self, text, path).calendar
                loaded.calendars.append(PricingSource(id: calendar.id, version: calendar.version, name: calendar.name, text: text, sha256: digest, origin: path, header: nil))
                continue
            }
            let tariff = try decode(TariffDocument.self, text, path).tariff
            let key = "\(tariff.header.id)@\(tariff.header.version)"
            if let other = seen[key] {
                throw TariffFileError(file: path, location: "key 'id'", reason: "\(tariff.header.id) version \(tariff.header.version) is also defined in \(other)")
            }
            seen[key] = path
            loaded.tariffs.append(PricingSource(
                id: tariff.header.id, version: tariff.header.version, name: tariff.header.name, text: text, sha256: digest,
                origin: path, header: tariff.header
            ))
        }
        let calendarIDs = Set(loaded.calendars.map(\.id))
        for source in loaded.tariffs {
            let tariff = try decode(TariffDocument.self, source.text, source.origin).tariff
            if let calendar = tariff.calendarID, !calendarIDs.contains(calendar) {
                throw TariffFileError(file: source.origin, location: "key 'calendar'", reason: "no holidays-\(calendar).yaml defines calendar '\(calendar)'")
            }
        }
        return loaded
    }

    /// A tariff file and the calendar it names, from the same folder, for `curbside quote`.
    public static func engine(forFile path: String) throws -> TariffEngine {
        let (text, _) = try read(path)
        let tariff = try decode(TariffDocument.self, text, path).tariff
        var calendar: HolidayCalendar?
        if let id = tariff.calendarID {
            let calendarPath = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("holidays-\(id).yaml").path
            calendar = try decode(HolidayCalendarDocument.self, try read(calendarPath).text, calendarPath).calendar
        }
        guard let clock = ZoneClock(identifier: tariff.header.timeZone) else {
            throw TariffFileError(file: path, location: "key 'time_zone'", reason: "unknown time zone")
        }
        return TariffEngine(tariff: tariff, calendar: calendar, clock: clock)
    }

    public static func read(_ path: String) throws -> (text: String, sha256: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TariffFileError(file: path, location: nil, reason: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TariffFileError(file: path, location: nil, reason: "the file is not UTF-8 text")
        }
        return (text, SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined())
    }

    /// Decodes YAML, turning decoding errors into the file, the key path and the reason.
    public static func decode<T: Decodable>(_ type: T.Type, _ text: String, _ path: String) throws -> T {
        do {
            return try YAMLDecoder().decode(type, from: text)
        } catch let error as DecodingError {
            throw TariffFileError(file: path, location: location(of: error), reason: reason(of: error))
        } catch {
            throw TariffFileError(file: path, location: nil, reason: "not valid YAML: \(error)")
        }
    }

    static func location(of error: DecodingError) -> String {
        let (path, key): ([any CodingKey], (any CodingKey)?) = switch error {
        case let .keyNotFound(key, context): (context.codingPath, key)
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context): (context.codingPath, nil)
        @unknown default: ([], nil)
        }
        let keys = (path + (key.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return "key '\(keys.drop { $0 == "." })'"
    }

    static func reason(of error: DecodingError) -> String {
        switch error {
        case .keyNotFound: "is required"
        case let .typeMismatch(type, _): "has the wrong type; expected \(type)"
        case let .valueNotFound(type, _): "is empty; expected \(type)"
        case let .dataCorrupted(context): context.debugDescription
        @unknown default: "cannot be read"
        }
    }
}
