/// A company's taxpayer id on an invoice: its unified social credit code
/// (统一社会信用代码, GB 32100-2015), 18 characters whose last is a check
/// character, so a mistyped id is caught before an invoice goes out with it.
public struct TaxpayerID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public var description: String { rawValue }

    /// The code's alphabet: digits and the capital letters without I, O, Z, S and V.
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Reads a code as people type it: spaces dropped, letters upper-cased; nil when it is not one or its check fails.
    public init?(_ input: some StringProtocol) {
        let text = Array(String(input).uppercased().filter { $0 != " " })
        guard text.count == 18 else { return nil }
        var values: [Int] = []
        for character in text {
            guard let value = Self.alphabet.firstIndex(of: character) else { return nil }
            values.append(value)
        }
        let sum = zip(values.prefix(17), Self.weights).reduce(0) { $0 + $1.0 * $1.1 }
        guard (31 - sum % 31) % 31 == values[17] else { return nil }
        rawValue = String(text)
    }
}
