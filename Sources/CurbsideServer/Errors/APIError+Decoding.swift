extension APIError {
    /// A body that does not match the contract, answered 400 with the field at fault.
    init(_ error: DecodingError) {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the body" : String(text.drop { $0 == "." })
        }
        switch error {
        case let .keyNotFound(key, context):
            self = .badRequest(RequestErrorCode.missingField, "\(path(context, key)) is required.")
        case let .typeMismatch(type, context):
            self = .badRequest(RequestErrorCode.invalidField, "\(path(context)) must be \(Self.describe(type)).")
        case let .valueNotFound(type, context):
            self = .badRequest(RequestErrorCode.invalidField, "\(path(context)) must be \(Self.describe(type)), not null.")
        case let .dataCorrupted(context):
            let detail = context.debugDescription.contains("JSON") ? "is not valid JSON" : "has a value the contract does not allow (\(context.debugDescription))"
            self = .badRequest(context.codingPath.isEmpty ? RequestErrorCode.malformedBody : .invalidField, "\(path(context)) \(detail).")
        @unknown default:
            self = .badRequest(RequestErrorCode.invalidBody, "The body does not match the contract.")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }
}
