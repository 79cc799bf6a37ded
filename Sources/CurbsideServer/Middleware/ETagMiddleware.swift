import HTTPTypes
import OpenAPIRuntime

/// Restores the quotes of ETag headers. The OpenAPI runtime percent-encodes
/// every header value it writes, which turns the strong ETag "3" into %223%22;
/// clients must get the quoted form back to send it in If-Match.
struct ETagMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var (response, responseBody) = try await next(request, body, metadata)
        if let tag = response.headerFields[.eTag], let decoded = tag.removingPercentEncoding {
            response.headerFields[.eTag] = decoded
        }
        return (response, responseBody)
    }
}
