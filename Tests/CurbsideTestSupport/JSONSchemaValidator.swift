import Foundation
import Yams

/// Checks JSON values against JSON Schema (draft 2020-12, as OpenAPI 3.1
/// uses it) read from YAML files, following `$ref`s across files. It knows
/// the keywords the CDS schemas use: type, required, properties,
/// additionalProperties, items, enum, const, oneOf, anyOf, allOf, minimum,
/// maximum, exclusiveMinimum, minItems, maxItems and the uuid and uri
/// formats. Every problem is reported with its JSON path.
public struct JSONSchemaValidator {
    private var documents: [String: Any] = [:]

    public init() {}

    /// Problems with a JSON document against the schema at `pointer` (such as `#/properties/data`) in `file`; empty when it conforms.
    public mutating func problems(_ json: Data, file: String, pointer: String = "#") throws -> [String] {
        let value = try JSONDecoder().decode(JSONValue.self, from: json)
        var found: [String] = []
        try check(value, against: try resolve(file: file, pointer: pointer), file: file, path: "$", into: &found)
        return found
    }

    private mutating func document(_ file: String) throws -> Any {
        if let loaded = documents[file] { return loaded }
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let loaded = try Yams.load(yaml: text) as Any
        documents[file] = loaded
        return loaded
    }

    private mutating func resolve(file: String, pointer: String) throws -> [String: Any] {
        var node = try document(file)
        for part in pointer.dropFirst(2).split(separator: "/") where !part.isEmpty {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let object = node as? [String: Any], let next = object[key] else { throw SchemaError("\(file)\(pointer): no \(key)") }
            node = next
        }
        guard let schema = node as? [String: Any] else { throw SchemaError("\(file)\(pointer) is not a schema") }
        return schema
    }

    /// A `$ref` is a file relative to the one it is in, a pointer within it, or both.
    private mutating func follow(_ reference: String, from file: String) throws -> (schema: [String: Any], file: String) {
        let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let target = parts[0].isEmpty ? file : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(parts[0]).standardized.path
        return (try resolve(file: target, pointer: "#" + (parts.count > 1 ? parts[1] : "")), target)
    }

    private mutating func check(_ value: JSONValue, against schema: [String: Any], file: String, path: String, into found: inout [String]) throws {
        if let reference = schema["$ref"] as? String {
            let (target, targetFile) = try follow(reference, from: file)
            try check(value, against: target, file: targetFile, path: path, into: &found)
        }
        if let types = schema["type"].map({ $0 as? [String] ?? [$0 as? String ?? ""] }), !types.contains(where: value.matches) {
            found.append("\(path): expected \(types.joined(separator: " or ")), got \(value.kind)")
            return
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: value.equals) {
            found.append("\(path): \(value) is not one of \(options)")
        }
        if let constant = schema["const"], !value.equals(constant) { found.append("\(path): expected \(constant)") }
        for (keyword, needed) in [("oneOf", 1), ("anyOf", 0)] {
            guard let options = schema[keyword] as? [[String: Any]] else { continue }
            var passing = 0
            for option in options {
                var inner: [String] = []
                try check(value, against: option, file: file, path: path, into: &inner)
                if inner.isEmpty { passing += 1 }
            }
            if needed == 1 ? passing != 1 : passing == 0 { found.append("\(path): matches \(passing) of the \(keyword) schemas") }
        }
        for option in schema["allOf"] as? [[String: Any]] ?? [] {
            try check(value, against: option, file: file, path: path, into: &found)
        }
        if let number = value.number {
            if let minimum = Self.double(schema["minimum"]), number < minimum { found.append("\(path): \(number) < \(minimum)") }
            if let maximum = Self.double(schema["maximum"]), number > maximum { found.append("\(path): \(number) > \(maximum)") }
            if let bound = Self.double(schema["exclusiveMinimum"]), number <= bound { found.append("\(path): \(number) <= \(bound)") }
        }
        if case let .string(text) = value, let format = schema["format"] as? String {
            if format == "uuid", UUID(uuidString: text) == nil { found.append("\(path): '\(text)' is not a UUID") }
            if format == "uri" || format == "url", URL(string: text)?.scheme == nil { found.append("\(path): '\(text)' is not a URI") }
        }
        if case let .array(array) = value {
            if let least = schema["minItems"] as? Int, array.count < least { found.append("\(path): fewer than \(least) items") }
            if let most = schema["maxItems"] as? Int, array.count > most { found.append("\(path): more than \(most) items") }
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in array.enumerated() { try check(item, against: items, file: file, path: "\(path)[\(index)]", into: &found) }
            }
        }
        if case let .object(object) = value {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil || object[key] == .null {
                found.append("\(path): '\(key)' is required")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, member) in object {
                if let property = properties[key] as? [String: Any] {
                    try check(member, against: property, file: file, path: "\(path).\(key)", into: &found)
                } else if let extra = schema["additionalProperties"] {
                    if let allowed = extra as? Bool, !allowed { found.append("\(path): '\(key)' is not allowed") }
                    if let extraSchema = extra as? [String: Any] { try check(member, against: extraSchema, file: file, path: "\(path).\(key)", into: &found) }
                }
            }
        }
    }

    /// A number as YAML gives it (an Int or a Double).
    static func double(_ value: Any?) -> Double? {
        (value as? Int).map(Double.init) ?? (value as? Double)
    }
}

/// A JSON value as decoded, keeping booleans, integers and other numbers apart.
public indirect enum JSONValue: Decodable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    var number: Double? {
        switch self {
        case let .integer(value): Double(value)
        case let .number(value): value
        default: nil
        }
    }

    func matches(_ type: String) -> Bool {
        switch (type, self) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null), ("integer", .integer), ("number", .integer),
             ("number", .number):
            true
        case let ("integer", .number(value)): value == value.rounded()
        default: false
        }
    }

    var kind: String {
        ["object", "array", "string", "boolean", "integer", "number", "null"].first(where: matches) ?? "?"
    }

    /// Equal to a value from a YAML schema (enum and const).
    func equals(_ other: Any) -> Bool {
        switch self {
        case let .string(value): (other as? String) == value
        case let .bool(value): (other as? Bool) == value
        case let .integer(value): (other as? Int).map { Int64($0) == value } ?? false
        case let .number(value): (other as? Double) == value
        default: false
        }
    }

    public var description: String {
        switch self {
        case .null: "null"
        case let .bool(value): String(value)
        case let .integer(value): String(value)
        case let .number(value): String(value)
        case let .string(value): "'\(value)'"
        case let .array(value): "[\(value.count) items]"
        case let .object(value): "{\(value.keys.sorted().joined(separator: ", "))}"
        }
    }
}

struct SchemaError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
