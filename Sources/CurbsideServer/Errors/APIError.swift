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
    /// For a 429: seconds until asking again can succeed (the Retry-After header).
    public var retryAfter: Int?
    /// For a 405: the methods the path takes (the Allow header).
    public var allow: [String] = []

    public init(_ status: HTTPResponseStatus, _ code: String, _ message: String, issues: [ImportIssue] = [], didYouMean: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.issues = issues
        self.didYouMean = didYouMean
        self.retryAfter = retryAfter
    }

    /// A throttle or lock-out said no: 429 with Retry-After.
    static func tooMany(_ code: String, _ message: String, retryAfter seconds: Int) -> APIError {
        APIError(.tooManyRequests, code, message, retryAfter: max(1, seconds))
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    static func badRequest(_ code: String, _ message: String) -> APIError {
        APIError(.badRequest, code, message)
    }

    static func invalid(_ code: String, _ message: String, issues: [ImportIssue] = []) -> APIError {
        APIError(.unprocessableEntity, code, message, issues: issues)
    }

    static func notFound(_ what: String, _ id: String) -> APIError {
        APIError(.notFound, "\(what)_not_found", "No \(what.replacingOccurrences(of: "_", with: " ")) \(id).")
    }

    static let unauthenticated = APIError(.unauthorized, "unauthenticated", "This operation needs a bearer token (Authorization: Bearer ...).")
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
    static let unsupportedBody = APIError(.unsupportedMediaType, "unsupported_media_type", "Send the body as application/json.")
}
