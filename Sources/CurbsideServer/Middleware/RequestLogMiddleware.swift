import Vapor

/// One line per request once it is answered: method, the route's template
/// (`/p/:token`, never the token itself), status and time taken. Paths and
/// query strings are not logged: they carry payment tokens and plates.
struct RequestLogMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next.respond(to: request)
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        request.logger.info("request", metadata: [
            "method": "\(request.method.rawValue)", "route": "\(Self.route(of: request))", "status": "\(response.status.code)",
            "ms": "\(String(format: "%.1f", milliseconds))",
        ])
        return response
    }

    /// The matched route's template, or `unmatched`.
    static func route(of request: Request) -> String {
        guard let route = request.route else { return "unmatched" }
        return "/" + route.path.map(\.description).joined(separator: "/")
    }
}
