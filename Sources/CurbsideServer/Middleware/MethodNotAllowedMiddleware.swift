import Vapor
import Yams

/// What the router cannot tell from a missing route: a path the contract
/// has, asked with a method it does not take, is 405 with the methods it
/// does take in Allow; a path whose percent-encoding is not UTF-8 (which the
/// router cannot match at all) is 400 `invalid_text`.
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    /// Each path of openapi.yaml, split at slashes, with its methods.
    let paths: [(template: [Substring], methods: [String])]

    init(openAPIDocument text: String) throws {
        guard let document = try Yams.load(yaml: text) as? [String: Any], let paths = document["paths"] as? [String: Any] else {
            throw ContractError("openapi.yaml has no paths")
        }
        self.paths = paths.compactMap { path, item in
            guard let item = item as? [String: Any] else { return nil }
            var methods = ["get", "put", "post", "delete", "patch"].filter { item[$0] != nil }.map { $0.uppercased() }
            // Vapor answers HEAD wherever it answers GET.
            if methods.contains("GET") { methods.insert("HEAD", at: 1) }
            return (path.split(separator: "/", omittingEmptySubsequences: false), methods)
        }
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as any AbortError where error.status == .notFound && request.route == nil {
            let segments = request.url.path.split(separator: "/", omittingEmptySubsequences: false)
            if segments.contains(where: { if case .notUTF8 = PercentDecoding.decode($0, plusIsSpace: false) { true } else { false } }) {
                throw APIError.badRequest(RequestErrorCode.invalidText, "The path is not percent-encoded UTF-8 text.")
            }
            let allowed = paths.filter { Self.matches(segments, $0.template) }.flatMap(\.methods)
            guard !allowed.isEmpty else { throw error }
            var refusal = APIError(.methodNotAllowed, RequestErrorCode.methodNotAllowed, "\(request.method.rawValue) is not taken here; this path takes \(allowed.joined(separator: ", ")).")
            refusal.allow = allowed
            throw refusal
        }
    }

    static func matches(_ segments: [Substring], _ template: [Substring]) -> Bool {
        segments.count == template.count && zip(segments, template).allSatisfy { segment, part in
            part.hasPrefix("{") && part.hasSuffix("}") ? !segment.isEmpty : segment == part
        }
    }
}
