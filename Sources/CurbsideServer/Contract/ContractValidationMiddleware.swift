import CurbsideCore
import HTTPTypes
import OpenAPIRuntime

/// Checks every request against openapi.yaml before its handler runs: each
/// parameter and JSON body against its schema (types, minimum, maximum,
/// lengths, item counts, patterns, enums, formats), text for NUL and control
/// characters and percent-encodings that are not UTF-8, and the body's media
/// type. A request that breaks the contract is answered 400 (415 for a media
/// type) with every problem listed, and the handler never sees it; where the
/// operation checks a batch's items one by one, the items at fault are taken
/// out and reported to the handler, and the rest go on.
struct ContractValidationMiddleware: ServerMiddleware {
    let contract: RequestContract

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let operation = contract.operations[operationID] else { return try await next(request, body, metadata) }
        var problems = checkParameters(request, operation)
        var body = body
        let empty = body == nil || body?.length == .known(0)
        if empty {
            if operation.bodyRequired { problems.append(ContractProblem(path: "", code: RequestErrorCode.missingBody, message: "This operation needs a request body.")) }
        } else if let given = body, !operation.bodyTypes.isEmpty {
            let mediaType = try acceptedMediaType(request, operation)
            if let schema = operation.jsonBody, Self.matches(mediaType ?? "", "application/json") {
                let bytes = try await [UInt8](collecting: given, upTo: .max)
                body = HTTPBody(bytes)
                let (value, found) = checkJSON(bytes, schema: schema, required: operation.bodyRequired)
                if problems.isEmpty, !found.isEmpty, let member = operation.itemsAlone, case var .object(members)? = value,
                   case let .array(items)? = members[member], let (kept, refusals) = ItemRefusals.split(items, member: member, problems: found) {
                    members[member] = .array(kept)
                    return try await RequestContext.$itemRefusals.withValue(refusals) {
                        try await next(request, HTTPBody(JSONValue.object(members).jsonBytes), metadata)
                    }
                }
                problems += found
            }
        }
        if !problems.isEmpty { throw Self.refusal(problems) }
        return try await next(request, body, metadata)
    }

    // MARK: - Parameters

    func checkParameters(_ request: HTTPRequest, _ operation: RequestContract.Operation) -> [ContractProblem] {
        let target = request.path ?? "/"
        let (rawPath, rawQuery) = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).map(Substring.init).pair
        var problems: [ContractProblem] = []
        var values: [String: [Decoded]] = [:]
        for (template, raw) in zip(operation.template, rawPath.split(separator: "/", omittingEmptySubsequences: false))
        where template.hasPrefix("{") && template.hasSuffix("}") {
            values["path:" + template.dropFirst().dropLast()] = [PercentDecoding.decode(raw, plusIsSpace: false)]
        }
        for pair in (rawQuery ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard case let .text(name) = PercentDecoding.decode(parts[0], plusIsSpace: true) else { continue }
            values["query:" + name, default: []].append(PercentDecoding.decode(parts.count > 1 ? parts[1] : "", plusIsSpace: true))
        }
        for parameter in operation.parameters {
            let given: [Decoded]
            switch parameter.location {
            case .header:
                given = HTTPField.Name(parameter.name).map { request.headerFields[values: $0].map(Decoded.text) } ?? []
            case .path, .query:
                given = values["\(parameter.location.rawValue):\(parameter.name)"] ?? []
            }
            let subject = "parameter \(parameter.name)"
            guard !given.isEmpty else {
                if parameter.required {
                    problems.append(ContractProblem(path: parameter.name, code: RequestErrorCode.missingParameter, message: "The \(subject) is required."))
                }
                continue
            }
            guard given.count == 1 || parameter.location == .header else {
                problems.append(ContractProblem(path: parameter.name, code: RequestErrorCode.invalidParameter, message: "The \(subject) is given more than once."))
                continue
            }
            guard case let .text(text) = given[0] else {
                problems.append(ContractProblem(path: parameter.name, code: RequestErrorCode.invalidText, message: "The \(subject) is not percent-encoded UTF-8 text."))
                continue
            }
            if parameter.location == .path, text.contains("%") {
                problems.append(ContractProblem(path: parameter.name, code: RequestErrorCode.invalidParameter, message: "The \(subject) may not contain '%'."))
                continue
            }
            switch typed(text, schema: parameter.schema) {
            case let .success(value):
                problems += contract.schemas.check(value, against: parameter.schema, path: parameter.name).map {
                    ContractProblem(path: $0.path, code: $0.code == .invalidField ? .invalidParameter : $0.code, message: "The parameter " + $0.message)
                }
            case let .failure(problem):
                problems.append(ContractProblem(path: parameter.name, code: RequestErrorCode.invalidParameter, message: "The \(subject) \(problem)."))
            }
        }
        return problems
    }

    /// A parameter's text as the JSON value its schema's type calls for.
    func typed(_ text: String, schema: Int) -> Result<JSONValue, ParameterProblem> {
        let types = contract.schemas.types(of: schema)
        if types.contains("integer") {
            guard let integer = Int64(text) else {
                let digits = text.drop { $0 == "-" || $0 == "+" }
                return .failure(ParameterProblem(!digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
                    ? "must be an integer from \(Int64.min) to \(Int64.max)" : "must be an integer"))
            }
            return .success(.integer(integer))
        }
        if types.contains("number") {
            guard let number = Double(text), number.isFinite, !text.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" }) else {
                return .failure(ParameterProblem("must be a number"))
            }
            return .success(.number(number))
        }
        if types.contains("boolean") {
            guard text == "true" || text == "false" else { return .failure(ParameterProblem("must be true or false")) }
            return .success(.bool(text == "true"))
        }
        return .success(.string(text))
    }

    struct ParameterProblem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: - Body

    /// The request's media type, if the operation takes it; a 415 if not.
    func acceptedMediaType(_ request: HTTPRequest, _ operation: RequestContract.Operation) throws -> String? {
        let mediaType = request.headerFields[.contentType].map(Self.mediaType)
        guard operation.bodyTypes.contains("*/*") || mediaType.map({ type in operation.bodyTypes.contains { Self.matches(type, $0) } }) ?? false else {
            let expected = operation.bodyTypes.joined(separator: " or ")
            throw APIError(.unsupportedMediaType, RequestErrorCode.unsupportedMediaType, "Send the body as \(expected)\(mediaType.map { ", not \($0)" } ?? " with a Content-Type header").")
        }
        return mediaType
    }

    /// The body as parsed, if it is JSON, and its problems.
    func checkJSON(_ bytes: [UInt8], schema: Int, required: Bool) -> (JSONValue?, [ContractProblem]) {
        if bytes.isEmpty {
            return (nil, required ? [ContractProblem(path: "", code: RequestErrorCode.missingBody, message: "This operation needs a request body.")] : [])
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            return (nil, [ContractProblem(path: "", code: RequestErrorCode.malformedBody, message: "The body is not valid JSON: \(error.reason) (at byte \(error.offset)).")])
        }
        return (value, contract.schemas.check(value, against: schema, path: ""))
    }

    /// `application/json; charset=utf-8` as `application/json`.
    static func mediaType(_ header: String) -> String {
        String(header.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }

    static func matches(_ type: String, _ declared: String) -> Bool {
        if declared == "*/*" || type == declared { return true }
        // application/geo+json is JSON; a client may say either.
        return declared == "application/json" && type.hasSuffix("+json") || declared == "application/geo+json" && type == "application/json"
    }

    // MARK: - Answer

    static func refusal(_ problems: [ContractProblem]) -> APIError {
        let first = problems[0]
        let more = problems.count > 1 ? " (\(problems.count - 1) more problem\(problems.count == 2 ? "" : "s") in issues)" : ""
        return APIError(
            .badRequest, first.code, first.message + more,
            issues: problems.map { ImportIssue(index: Self.firstIndex(in: $0.path), code: $0.code.rawValue, message: $0.message, field: $0.path.isEmpty ? nil : $0.path) }
        )
    }

    /// 3 for `events[3].time`: which item of a batch is at fault.
    static func firstIndex(in path: String) -> Int? {
        guard let open = path.firstIndex(of: "["), let close = path[open...].firstIndex(of: "]") else { return nil }
        return Int(path[path.index(after: open)..<close])
    }
}

/// A parameter's text after percent-decoding, or the fact that it is not UTF-8.
enum Decoded: Sendable {
    case text(String)
    case notUTF8
}

enum PercentDecoding {
    /// Strict percent-decoding: a `%` not followed by two hex digits, or bytes that are not UTF-8, are `notUTF8`.
    static func decode(_ raw: Substring, plusIsSpace: Bool) -> Decoded {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        var iterator = raw.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hex), let low = iterator.next().flatMap(hex) else { return .notUTF8 }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .notUTF8 }
        return .text(text)
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension Array where Element == Substring {
    /// The first two elements, the second optional: a path and its query.
    fileprivate var pair: (Substring, Substring?) { (self[0], count > 1 ? self[1] : nil) }
}

extension ContractSchemas {
    /// The types a schema allows, following `$ref`s and `allOf`.
    func types(of index: Int) -> Set<String> {
        let schema = all[index]
        var types = Set(schema.types ?? [])
        if let reference = schema.reference { types.formUnion(self.types(of: reference)) }
        for part in schema.allOf { types.formUnion(self.types(of: part)) }
        return types
    }
}
