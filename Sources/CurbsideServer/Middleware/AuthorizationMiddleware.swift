import CurbsideCore
import CurbsideStore
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Authenticates the caller and applies the access policy before any handler
/// runs. Callers send a bearer token; device gateways may instead sign the body
/// with their secret (X-Curbside-Gateway, -Timestamp, -Signature). Public
/// operations accept an absent token, but a token that is present must be
/// valid: a client should learn its token is bad, not be quietly anonymous.
/// A token is only as good as the account behind it, looked up each time.
/// Nothing of the body is read before the caller is known, but for a signed
/// body, which is read (within the operation's limit) only once the gateway
/// and the timestamp are.
struct AuthorizationMiddleware: ServerMiddleware {
    let policy: AccessPolicy
    let tokens: TokenService
    let store: Store
    let clock: @Sendable () -> Date
    /// Signed requests older or newer than this are refused, so a captured one cannot be replayed later.
    static let signatureWindow: TimeInterval = 300

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var principal: Principal?
        var body = body
        if let header = request.headerFields[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw APIError(.unauthorized, AccessErrorCode.tokenInvalid, "The Authorization header must read 'Bearer <token>'.")
            }
            let claimed = try await tokens.verify(String(parts[1]).trimmingCharacters(in: .whitespaces))
            try await checkStanding(claimed)
            principal = claimed
        } else if let signature = request.headerFields[.curbsideSignature] {
            guard policy.allows(.gateway, operation: operationID) else {
                throw APIError(.unauthorized, AccessErrorCode.signatureNotAccepted, "Only gateway operations take a signed body; send a bearer token.")
            }
            let (gateway, bytes) = try await verifySignature(signature, request: request, body: body)
            principal = Principal(subject: gateway, role: .gateway)
            body = HTTPBody(bytes)
        }
        guard policy.allows(principal?.role, operation: operationID) else {
            guard let principal else { throw APIError.unauthenticated }
            throw APIError(.forbidden, AccessErrorCode.forbidden, "The \(principal.role.rawValue) role may not call \(operationID).")
        }
        return try await RequestContext.$principal.withValue(principal) {
            try await next(request, body, metadata)
        }
    }

    func verifySignature(_ signature: String, request: HTTPRequest, body: HTTPBody?) async throws -> (String, [UInt8]) {
        guard let gateway = request.headerFields[.curbsideGateway], let timestamp = request.headerFields[.curbsideTimestamp],
              let seconds = TimeInterval(timestamp)
        else {
            throw APIError(.unauthorized, AccessErrorCode.signatureInvalid, "A signed request needs X-Curbside-Gateway, X-Curbside-Timestamp and X-Curbside-Signature.")
        }
        guard abs(clock().timeIntervalSince1970 - seconds) <= Self.signatureWindow else {
            throw APIError(.unauthorized, AccessErrorCode.signatureExpired, "X-Curbside-Timestamp is more than 5 minutes from the server's clock.")
        }
        let invalid = APIError(.unauthorized, AccessErrorCode.signatureInvalid, "The signature does not match the body and the gateway's secret.")
        guard let secret = try await Gateways(store: store, database: try RequestContext.current.db).secret(of: gateway) else { throw invalid }
        // The body limit middleware has wrapped the stream: reading past the operation's limit fails with 413.
        var bytes: [UInt8] = []
        if let body { bytes = try await [UInt8](collecting: body, upTo: .max) }
        guard Gateways.isValid(signature: signature, secret: secret, timestamp: timestamp, body: bytes) else { throw invalid }
        return (gateway, bytes)
    }

    /// A valid token whose account was closed, changed role or never existed is refused.
    func checkStanding(_ principal: Principal) async throws {
        switch try await Principals(store: store, database: try RequestContext.current.db).standing(of: principal) {
        case .current:
            return
        case .unknown:
            throw APIError(.unauthorized, AccessErrorCode.accountUnknown, "The token speaks for \(principal.role.rawValue) \(principal.subject), who has no account here.")
        case .closed:
            throw APIError(.unauthorized, AccessErrorCode.accountClosed, "The account this token speaks for is closed.")
        case .roleChanged:
            throw APIError(.unauthorized, AccessErrorCode.tokenStale, "The account's role has changed since this token was issued; sign in again.")
        }
    }
}

extension HTTPField.Name {
    static let curbsideGateway = HTTPField.Name("X-Curbside-Gateway")!
    static let curbsideTimestamp = HTTPField.Name("X-Curbside-Timestamp")!
    static let curbsideSignature = HTTPField.Name("X-Curbside-Signature")!
}
