import OpenAPIRuntime

/// CDS versions its responses by media type; a client that sends an Accept
/// header must name the CDS type (or a wildcard that covers it), or get 406.
enum CDSMediaType {
    static let json = "application/vnd.cds+json"
    static let csv = "application/vnd.cds+csv"

    static func require<T: AcceptableProtocol>(_ media: String, in accept: [AcceptHeaderContentType<T>]) throws {
        guard !accept.isEmpty else { return }
        let wildcard = media.prefix { $0 != "/" } + "/*"
        let named = accept.contains { entry in
            let type = entry.contentType.rawValue.lowercased().prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces)
            return type == media || type == wildcard || type == "*/*"
        }
        guard named else {
            throw APIError(.notAcceptable, RequestErrorCode.notAcceptable, "This CDS endpoint answers in \(media); version=1.1. Accept that type, or send no Accept header.")
        }
    }
}
