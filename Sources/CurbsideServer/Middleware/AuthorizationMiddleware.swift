import CurbsideCore
import HTTPTypes
import OpenAPIRuntime

/// Authenticates the bearer token and applies the access policy before any
/// handler runs. Public operations accept an absent token, but a token that is
/// present must be valid: a client should learn its token is bad, not be
/// quietly treated as anonymous.
struct AuthorizationMiddleware: ServerMiddleware {
    let policy: AccessPolicy
    let tokens: TokenService

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var principal: Principal?
        if let header = request.headerFields[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw APIError(.unauthorized, "token_invalid", "The Authorization header must read 'Bearer <token>'.")
            }
            principal = try await tokens.verify(String(parts[1]).trimmingCharacters(in: .whitespaces))
        }
        guard policy.allows(principal?.role, operation: operationID) else {
            guard let principal else { throw APIError.unauthenticated }
            throw APIError(.forbidden, "forbidden", "The \(principal.role.rawValue) role may not call \(operationID).")
        }
        return try await RequestContext.$principal.withValue(principal) {
            try await next(request, body, metadata)
        }
    }
}
