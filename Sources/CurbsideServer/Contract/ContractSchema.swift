import CurbsideCore
import Foundation

/// One JSON Schema of openapi.yaml, compiled for checking requests. The
/// schemas of a document live in one `ContractSchemas` table and refer to
/// each other by index, so `$ref`s (recursive ones included) cost nothing
/// at request time.
struct ContractSchema: Sendable {
    var types: [String]?
    var enumValues: [JSONValue]?
    var constValue: JSONValue?
    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var minLength: Int?
    var maxLength: Int?
    var pattern: Pattern?
    var format: String?
    var items: Int?
    var minItems: Int?
    var maxItems: Int?
    var properties: [String: Int] = [:]
    var required: [String] = []
    /// false refuses members not in `properties`; an index checks them against that schema.
    var additionalProperties: Additional = .allowed
    var allOf: [Int] = []
    var anyOf: [Int] = []
    var oneOf: [Int] = []
    var reference: Int?

    enum Additional: Sendable {
        case allowed
        case refused
        case schema(Int)
    }

    /// A `pattern`, compiled once. NSRegularExpression is thread-safe for matching.
    struct Pattern: @unchecked Sendable {
        let source: String
        let expression: NSRegularExpression

        func matches(_ text: String) -> Bool {
            expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
    }
}

/// What is wrong with one value: where (a JSON path such as `bills[2]`), a code and why.
struct ContractProblem: Sendable, Equatable {
    var path: String
    var code: RequestErrorCode
    var message: String
}

/// Every schema of a document, by index.
struct ContractSchemas: Sendable {
    var all: [ContractSchema] = []

    /// Problems with `value` against schema `index`; empty when it conforms.
    func check(_ value: JSONValue, against index: Int, path: String) -> [ContractProblem] {
        var found: [ContractProblem] = []
        check(value, index, path, into: &found)
        return found
    }

    private func check(_ value: JSONValue, _ index: Int, _ path: String, into found: inout [ContractProblem]) {
        let schema = all[index]
        func problem(_ message: String, code: RequestErrorCode = .invalidField) {
            found.append(ContractProblem(path: path, code: code, message: "\(path.isEmpty ? "The body" : path) \(message)."))
        }
        if let reference = schema.reference { check(value, reference, path, into: &found) }
        for part in schema.allOf { check(value, part, path, into: &found) }
        if !schema.anyOf.isEmpty, !schema.anyOf.contains(where: { conforms(value, $0, path) }) { problem("matches none of the forms allowed") }
        if !schema.oneOf.isEmpty, schema.oneOf.filter({ conforms(value, $0, path) }).count != 1 { problem("must match exactly one of the forms allowed") }
        if let types = schema.types, !types.contains(where: value.isOfType) {
            let expected = types.map { $0 == "integer" ? "an integer" : $0 == "string" ? "text" : $0 == "object" ? "an object" : $0 == "array" ? "an array" : $0 == "boolean" ? "true or false" : $0 == "number" ? "a number" : $0 }
            if case .number = value, types.contains("integer") {
                problem("must be an integer from \(Int64.min) to \(Int64.max)")
            } else {
                problem("must be \(expected.joined(separator: " or ")), not \(value.typeName)")
            }
            return
        }
        if let options = schema.enumValues, !options.contains(value) {
            problem("must be one of \(options.map(Self.describe).joined(separator: ", "))")
        }
        if let constant = schema.constValue, constant != value { problem("must be \(Self.describe(constant))") }
        switch value {
        case .integer, .number:
            checkNumber(value, schema, problem)
        case let .string(text):
            checkText(text, schema, problem)
        case let .array(elements):
            if let minimum = schema.minItems, elements.count < minimum { problem("needs at least \(minimum) item\(minimum == 1 ? "" : "s")") }
            if let maximum = schema.maxItems, elements.count > maximum { problem("has more than \(maximum) items") }
            if let items = schema.items {
                for (offset, element) in elements.enumerated() { check(element, items, "\(path)[\(offset)]", into: &found) }
            }
        case let .object(members):
            for name in schema.required where members[name] == nil {
                found.append(ContractProblem(path: Self.join(path, name), code: .missingField, message: "\(Self.join(path, name)) is required."))
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let property = schema.properties[name] {
                    check(member, property, Self.join(path, name), into: &found)
                } else {
                    switch schema.additionalProperties {
                    case .allowed: break
                    case .refused: found.append(ContractProblem(path: Self.join(path, name), code: .unknownField, message: "\(Self.join(path, name)) is not a field of this request."))
                    case let .schema(other): check(member, other, Self.join(path, name), into: &found)
                    }
                }
            }
        case .null, .bool:
            break
        }
    }

    private func conforms(_ value: JSONValue, _ index: Int, _ path: String) -> Bool {
        check(value, against: index, path: path).isEmpty
    }

    private func checkNumber(_ value: JSONValue, _ schema: ContractSchema, _ problem: (String, RequestErrorCode) -> Void) {
        guard let number = value.numeric else { return }
        // Integers are compared exactly: a Double cannot tell 2^63-1 from 2^63.
        if case let .integer(exact) = value {
            if let minimum = schema.minimum, Self.less(exact, than: minimum) { problem("must be at least \(Self.bound(minimum))", .invalidField) }
            if let maximum = schema.maximum, Self.greater(exact, than: maximum) { problem("must be at most \(Self.bound(maximum))", .invalidField) }
        } else {
            if let minimum = schema.minimum, number < minimum { problem("must be at least \(Self.bound(minimum))", .invalidField) }
            if let maximum = schema.maximum, number > maximum { problem("must be at most \(Self.bound(maximum))", .invalidField) }
        }
        if let bound = schema.exclusiveMinimum, number <= bound { problem("must be more than \(Self.bound(bound))", .invalidField) }
        if let bound = schema.exclusiveMaximum, number >= bound { problem("must be less than \(Self.bound(bound))", .invalidField) }
    }

    private func checkText(_ text: String, _ schema: ContractSchema, _ problem: (String, RequestErrorCode) -> Void) {
        if let refusal = ContractText.refusal(text) {
            problem(refusal, .invalidText)
            return
        }
        let length = text.unicodeScalars.count
        if let minimum = schema.minLength, length < minimum {
            problem(minimum == 1 ? "must not be empty" : "must be at least \(minimum) characters long", .invalidField)
        }
        if let maximum = schema.maxLength, length > maximum { problem("must be at most \(maximum) characters long", .invalidField) }
        if let pattern = schema.pattern, !pattern.matches(text) { problem("does not have the form \(pattern.source)", .invalidField) }
        switch schema.format {
        case "date-time":
            do {
                _ = try RFC3339.parse(text)
            } catch {
                problem("'\(text.prefix(40))' \(error.description)", .invalidTime)
            }
        case "date":
            if !RFC3339.isFullDate(text) { problem("'\(text.prefix(40))' is not a day such as 2026-11-21", .invalidField) }
        case "uuid":
            if UUID(uuidString: text) == nil { problem("'\(text.prefix(40))' is not a UUID", .invalidField) }
        default:
            break
        }
    }

    static func less(_ value: Int64, than bound: Double) -> Bool {
        bound > -9.2e18 && bound < 9.2e18 ? value < Int64(bound.rounded(.up)) : Double(value) < bound
    }

    static func greater(_ value: Int64, than bound: Double) -> Bool {
        bound > -9.2e18 && bound < 9.2e18 ? value > Int64(bound.rounded(.down)) : Double(value) > bound
    }

    static func bound(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func join(_ path: String, _ name: String) -> String {
        path.isEmpty ? name : "\(path).\(name)"
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case let .string(text): text
        case let .integer(number): String(number)
        case let .number(number): String(number)
        case let .bool(flag): String(flag)
        case .null: "null"
        case .array, .object: "a structured value"
        }
    }
}

/// Text every field refuses, whatever its schema: NUL (PostgreSQL cannot store
/// it, and no person types it) and the other C0 controls apart from tab and
/// line breaks.
enum ContractText {
    static func refusal(_ text: String) -> String? {
        for scalar in text.unicodeScalars where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" {
            return scalar.value == 0 ? "contains a NUL character" : "contains the control character U+\(String(scalar.value, radix: 16, uppercase: true))"
        }
        return nil
    }
}
