import CurbsideCore
import CurbsideStore
import Crypto
import Foundation
import Yams

/// A tariff file that cannot be used, with the file, the key or line, and the reason.
public struct TariffFileError: Error, CustomStringConvertible {
    public var file: String
    public var location: String?
    public var reason: String

    public var description: String {
        "\(file)\(location.map { " (\($0))" } ?? ""): \(reason)"
    }
}

/// Reads the tariff files of a directory (*.yaml, one scheme each).
public enum TariffFiles {
    public static func load(directory: String) throws -> [TariffSource] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw TariffFileError(file: directory, location: nil, reason: "cannot read the tariff directory")
        }
        var sources: [TariffSource] = []
        var seen: [String: String] = [:]
        for name in names.sorted() where name.hasSuffix(".yaml") && !name.hasPrefix("holidays") {
            let path = directory + "/" + name
            let source = try read(path: path)
            let key = "\(source.header.id)@\(source.header.version)"
            if let other = seen[key] {
                throw TariffFileError(file: path, location: "key 'id'", reason: "tariff \(source.header.id) version \(source.header.version) is also defined in \(other)")
            }
            seen[key] = path
            sources.append(source)
        }
        return sources
    }

    public static func read(path: String) throws -> TariffSource {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TariffFileError(file: path, location: nil, reason: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TariffFileError(file: path, location: nil, reason: "the file is not UTF-8 text")
        }
        let header: TariffHeader
        do {
            header = try YAMLDecoder().decode(TariffHeader.self, from: text)
        } catch let error as DecodingError {
            throw TariffFileError(file: path, location: location(of: error), reason: reason(of: error))
        } catch let error as YamlError {
            throw TariffFileError(file: path, location: nil, reason: "not valid YAML: \(error)")
        }
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return TariffSource(header: header, text: text, sha256: digest, origin: path)
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
