extension BayCode {
    /// Every valid code one edit away from `input`: one character replaced, or two
    /// neighbouring characters swapped. Used to name the code a person most
    /// likely meant when what they typed fails its check.
    public static func neighbours(of input: some StringProtocol) -> [BayCode] {
        let text = Array(CodeText.compact(input))
        guard lengths.contains(text.count) else { return [] }
        var found = Set<BayCode>()
        let alphabet: [Character] = Array("0123456789X")
        for index in text.indices {
            for replacement in alphabet where replacement != text[index] {
                var candidate = text
                candidate[index] = replacement
                if let code = try? BayCode(parsing: String(candidate)) { found.insert(code) }
            }
        }
        for index in text.indices.dropLast() where text[index] != text[index + 1] {
            var candidate = text
            candidate.swapAt(index, index + 1)
            if let code = try? BayCode(parsing: String(candidate)) { found.insert(code) }
        }
        return found.sorted()
    }
}
