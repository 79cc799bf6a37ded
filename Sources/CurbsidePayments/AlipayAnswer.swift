/// Alipay signs an answer over the exact text of its `<method>_response`
/// member, as sent: the text is cut out, never re-encoded, before checking.
enum AlipayAnswer {
    /// The JSON object text that follows `"name":` at the top level of `text`.
    static func member(_ name: String, of text: String) -> Substring? {
        guard let key = text.range(of: "\"\(name)\""), let open = text[key.upperBound...].firstIndex(of: "{") else { return nil }
        guard text[key.upperBound..<open].allSatisfy({ $0 == ":" || $0 == " " }) else { return nil }
        var depth = 0
        var inString = false
        var escaped = false
        var index = open
        while index < text.endIndex {
            let character = text[index]
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
            } else if character == "{" {
                depth += 1
            } else if character == "}" {
                depth -= 1
                if depth == 0 { return text[open...index] }
            }
            index = text.index(after: index)
        }
        return nil
    }
}
