extension Plate {
    /// The plate as shown to someone who has not proved it is theirs: the
    /// province, the issuing letter and the last character, enough to
    /// recognise one's own car and not to follow someone else's.
    public static func masked(_ text: String) -> String {
        let characters = Array(text)
        guard characters.count > 3 else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(2)) + String(repeating: "*", count: characters.count - 3) + String(characters.last!)
    }
}
