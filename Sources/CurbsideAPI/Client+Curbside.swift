import Foundation
import HTTPTypes
import OpenAPIRuntime

extension Client {
    /// A client of the Curbside server at `serverURL` that reads and writes
    /// instants as the server does, signing every request with `token` if one is given.
    public init(curbside serverURL: URL, transport: any ClientTransport, token: String? = nil) {
        self.init(
            serverURL: serverURL,
            configuration: Configuration(dateTranscoder: RFC3339DateTranscoder()),
            transport: transport,
            middlewares: token.map { [BearerToken($0)] } ?? []
        )
    }
}

/// Sends `Authorization: Bearer <token>` with every request.
public struct BearerToken: ClientMiddleware {
    private let token: String

    public init(_ token: String) {
        self.token = token
    }

    public func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}
