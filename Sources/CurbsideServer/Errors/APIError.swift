import CurbsideCore
import Vapor

/// An error answered to the client: an HTTP status, a stable machine-readable
/// code, and a message for people. Every refusal the API makes is one of these.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponseStatus
    public var code: String
    public var message: String
    public var issues: [ImportIssue] = []
    public var didYouMean: String?
    /// For a 429 or 503: seconds until asking again can succeed (the Retry-After header).
    public var retryAfter: Int?
    /// For a 405: the methods the path takes (the Allow header).
    public var allow: [String] = []

    public init(
        _ status: HTTPResponseStatus, _ code: some ErrorCode, _ message: String, issues: [ImportIssue] = [], didYouMean: String? = nil, retryAfter: Int? = nil
    ) {
        self.init(status, code: code.rawValue, message, issues: issues, didYouMean: didYouMean, retryAfter: retryAfter)
    }

    /// A change refused for one registry issue answers with that issue's own code (docs/registry-geojson.md lists them).
    init(_ status: HTTPResponseStatus, issue: ImportIssue, _ message: String) {
        self.init(status, code: issue.code, message, issues: [issue], didYouMean: nil, retryAfter: nil)
    }

    private init(_ status: HTTPResponseStatus, code: String, _ message: String, issues: [ImportIssue], didYouMean: String?, retryAfter: Int?) {
        self.status = status
        self.code = code
        self.message = message
        self.issues = issues
        self.didYouMean = didYouMean
        self.retryAfter = retryAfter
    }

    /// A throttle or lock-out said no: 429 with Retry-After.
    static func tooMany(_ code: some ErrorCode, _ message: String, retryAfter seconds: Int) -> APIError {
        APIError(.tooManyRequests, code, message, retryAfter: max(1, seconds))
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    static func badRequest(_ code: some ErrorCode, _ message: String) -> APIError {
        APIError(.badRequest, code, message)
    }

    static func invalid(_ code: some ErrorCode, _ message: String, issues: [ImportIssue] = []) -> APIError {
        APIError(.unprocessableEntity, code, message, issues: issues)
    }

    /// 404 for a record `id` of the kind the code names: `bill_not_found` says "No bill \(id)."
    static func notFound(_ code: some ErrorCode, _ id: String) -> APIError {
        let noun = code.rawValue.hasSuffix("_not_found") ? String(code.rawValue.dropLast("_not_found".count)) : code.rawValue
        return APIError(.notFound, code, "No \(noun.replacingOccurrences(of: "_", with: " ")) \(id).")
    }

    static let unauthenticated = APIError(.unauthorized, AccessErrorCode.unauthenticated, "This operation needs a bearer token (Authorization: Bearer ...).")
}

/// The JSON body of every error response (the `Error` schema of openapi.yaml).
struct ErrorBody: Content {
    var code: String
    var message: String
    var issues: [ImportIssue]?
    var didYouMean: String?

    enum CodingKeys: String, CodingKey {
        case code, message, issues
        case didYouMean = "did_you_mean"
    }
}

extension APIError {
    /// A body in a content type the operation lists but the handler does not read.
    static let unsupportedBody = APIError(.unsupportedMediaType, RequestErrorCode.unsupportedMediaType, "Send the body as application/json.")
}
