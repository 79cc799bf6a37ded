/// Payment links, `<public URL>/p/<token>`: whoever holds the token sees the
/// bill unmasked, so the token is a secret of the notice's recipient.
enum PayLink {
    /// The tokens of every payment link in `text`.
    static func tokens(in text: String) -> [String] {
        var tokens: [String] = []
        var rest = text[...]
        while let marker = rest.range(of: "/p/") {
            let token = rest[marker.upperBound...].prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            if !token.isEmpty { tokens.append(String(token)) }
            rest = rest[marker.upperBound...]
        }
        return tokens
    }
}
