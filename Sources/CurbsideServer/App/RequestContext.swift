import CurbsideCore
import Vapor

/// What a handler needs of the HTTP request it serves. The OpenAPI handlers
/// receive typed inputs only; the Vapor request (for its database handle and
/// logger) and the authenticated caller travel as task-local values.
enum RequestContext {
    @TaskLocal static var request: Request?
    @TaskLocal static var principal: Principal?
    /// Items of the body the contract layer took out of a batch, for the handler to report.
    @TaskLocal static var itemRefusals: ItemRefusals?

    static var current: Request {
        get throws {
            guard let request else { throw APIError(.internalServerError, RequestErrorCode.internalError, "No request in context.") }
            return request
        }
    }
}

/// Makes the Vapor request available to the OpenAPI handlers that serve it.
struct RequestContextMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await RequestContext.$request.withValue(request) {
            try await next.respond(to: request)
        }
    }
}
