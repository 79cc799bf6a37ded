/// Refusals any operation can give: the contract, HTTP and the server itself.
public enum RequestErrorCode: String, ErrorCode {
    public static let area = "Requests"

    case missingBody = "missing_body"
    case malformedBody = "malformed_body"
    case invalidBody = "invalid_body"
    case missingField = "missing_field"
    case invalidField = "invalid_field"
    case unknownField = "unknown_field"
    case missingParameter = "missing_parameter"
    case invalidParameter = "invalid_parameter"
    case invalidText = "invalid_text"
    case invalidRequest = "invalid_request"
    case idMismatch = "id_mismatch"
    case invalidLimit = "invalid_limit"
    case invalidTime = "invalid_time"
    case invalidIfMatch = "invalid_if_match"
    case bodyTooLarge = "body_too_large"
    case unsupportedMediaType = "unsupported_media_type"
    case notAcceptable = "not_acceptable"
    case methodNotAllowed = "method_not_allowed"
    case routeNotFound = "route_not_found"
    case conflict
    case tooManyRequests = "too_many_requests"
    case databaseBusy = "database_busy"
    case notImplemented = "not_implemented"
    case internalError = "internal_error"
}
