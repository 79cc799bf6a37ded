import Crypto
import Foundation

/// What a plate becomes past its retention: a keyed hash (HMAC-SHA256 of
/// plate and colour, 80 bits in hex behind `~`), the same for every row of
/// the same car, so counts, repeat visits and CDS metrics still add up, and
/// no way back to the plate without the key.
public struct PlatePseudonym: Sendable {
    /// Marks a pseudonym: no plate starts with it.
    public static let marker = "~"

    let key: SymmetricKey

    public init(key: SymmetricKey) {
        self.key = key
    }

    public func callAsFunction(plate: String, colour: String?) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(plate)/\(colour ?? "")".utf8), using: key)
        return Self.marker + mac.prefix(10).map { String(format: "%02x", $0) }.joined()
    }

    public static func isPseudonym(_ text: String) -> Bool { text.hasPrefix(marker) }
}
