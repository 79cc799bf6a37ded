import Foundation

/// Turns the schemas of openapi.yaml (as Yams reads them) into `ContractSchema`s.
/// A keyword the checker does not know is an error at start, not a rule
/// silently left unchecked.
extension ContractSchemas {
    /// Keywords that describe and do not constrain, or that concern responses only.
    static let descriptive: Set<String> = ["description", "examples", "example", "default", "title", "contentEncoding", "contentMediaType", "readOnly", "deprecated"]

    struct Compiler {
        let components: [String: Any]
        var schemas = ContractSchemas()
        var named: [String: Int] = [:]

        init(document: [String: Any]) {
            components = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        }

        /// The index of a compiled schema; named ones are compiled once, so recursion ends.
        mutating func compile(_ node: Any, at location: String) throws -> Int {
            guard let schema = node as? [String: Any] else { throw ContractError("\(location) is not a schema") }
            if let reference = schema["$ref"] as? String, schema.count == 1 || schema.keys.allSatisfy({ $0 == "$ref" || Self.isDescriptive($0) }) {
                return try named(reference, from: location)
            }
            let index = schemas.all.count
            schemas.all.append(ContractSchema())
            var compiled = ContractSchema()
            for (keyword, value) in schema {
                let here = "\(location).\(keyword)"
                switch keyword {
                case "$ref": compiled.reference = try named(value as? String ?? "", from: here)
                case "type": compiled.types = value as? [String] ?? (value as? String).map { [$0] }
                case "enum": compiled.enumValues = try (value as? [Any] ?? []).map { try Self.json($0, at: here) }
                case "const": compiled.constValue = try Self.json(value, at: here)
                case "minimum": compiled.minimum = try Self.number(value, at: here)
                case "maximum": compiled.maximum = try Self.number(value, at: here)
                case "exclusiveMinimum": compiled.exclusiveMinimum = try Self.number(value, at: here)
                case "exclusiveMaximum": compiled.exclusiveMaximum = try Self.number(value, at: here)
                case "minLength": compiled.minLength = try Self.count(value, at: here)
                case "maxLength": compiled.maxLength = try Self.count(value, at: here)
                case "minItems": compiled.minItems = try Self.count(value, at: here)
                case "maxItems": compiled.maxItems = try Self.count(value, at: here)
                case "format": compiled.format = value as? String
                case "pattern":
                    guard let source = value as? String, let expression = try? NSRegularExpression(pattern: source) else { throw ContractError("\(here) is not a regular expression") }
                    compiled.pattern = .init(source: source, expression: expression)
                case "items": compiled.items = try compile(value, at: here)
                case "required": compiled.required = value as? [String] ?? []
                case "properties":
                    guard let properties = value as? [String: Any] else { throw ContractError("\(here) is not a map") }
                    for (name, property) in properties { compiled.properties[name] = try compile(property, at: "\(here).\(name)") }
                case "additionalProperties":
                    if let allowed = value as? Bool {
                        compiled.additionalProperties = allowed ? .allowed : .refused
                    } else {
                        compiled.additionalProperties = .schema(try compile(value, at: here))
                    }
                case "allOf", "anyOf", "oneOf":
                    let parts = try (value as? [Any] ?? []).enumerated().map { try compile($0.element, at: "\(here)[\($0.offset)]") }
                    if keyword == "allOf" { compiled.allOf = parts } else if keyword == "anyOf" { compiled.anyOf = parts } else { compiled.oneOf = parts }
                default:
                    guard Self.isDescriptive(keyword) else { throw ContractError("\(here): the request checker does not know the keyword '\(keyword)'") }
                }
            }
            schemas.all[index] = compiled
            return index
        }

        mutating func named(_ reference: String, from location: String) throws -> Int {
            let prefix = "#/components/schemas/"
            guard reference.hasPrefix(prefix), let node = components[String(reference.dropFirst(prefix.count))] else {
                throw ContractError("\(location): cannot resolve \(reference)")
            }
            if let known = named[reference] { return known }
            // Reserve the index first, so a schema that refers to itself finds it.
            let index = schemas.all.count
            schemas.all.append(ContractSchema())
            named[reference] = index
            schemas.all[index].reference = try compile(node, at: reference)
            return index
        }

        static func isDescriptive(_ keyword: String) -> Bool {
            ContractSchemas.descriptive.contains(keyword) || keyword.hasPrefix("x-")
        }

        static func number(_ value: Any, at location: String) throws -> Double {
            if let integer = value as? Int { return Double(integer) }
            if let double = value as? Double { return double }
            throw ContractError("\(location) is not a number")
        }

        static func count(_ value: Any, at location: String) throws -> Int {
            guard let count = value as? Int, count >= 0 else { throw ContractError("\(location) is not a count") }
            return count
        }

        static func json(_ value: Any, at location: String) throws -> JSONValue {
            switch value {
            case is NSNull: return .null
            case let flag as Bool: return .bool(flag)
            case let integer as Int: return .integer(Int64(integer))
            case let double as Double: return .number(double)
            case let text as String: return .string(text)
            case let list as [Any]: return .array(try list.map { try json($0, at: location) })
            case let map as [String: Any]: return .object(try map.mapValues { try json($0, at: location) })
            default: throw ContractError("\(location) holds a value JSON cannot")
            }
        }
    }
}

/// openapi.yaml cannot be read as the request checker needs; the server does not start.
struct ContractError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
