/// Revisions travel as strong ETags ("3") so that standard HTTP clients can
/// send them back in If-Match.
enum ETag {
    static func make(_ revision: Int) -> String {
        "\"\(revision)\""
    }

    static func revision(_ header: String?) throws(APIError) -> Int? {
        guard let header else { return nil }
        var text = Substring(header.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
        guard let revision = Int(text) else {
            throw .badRequest(RequestErrorCode.invalidIfMatch, "If-Match must be an ETag this server sent, such as \"3\".")
        }
        return revision
    }
}
