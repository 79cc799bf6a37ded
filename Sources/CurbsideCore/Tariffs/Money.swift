/// Money is integer fen (1 yuan = 100 fen), never floating point. This is the
/// one place that turns the yuan people write ("2.50") into fen and back.
public enum Money {
    /// Parses a non-negative amount in yuan with at most two decimals: "2", "2.5", "2.50".
    public static func fen(fromYuan text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty, whole.count <= 9,
              whole.allSatisfy({ $0.isASCII && $0.isNumber }), let yuan = Int(whole)
        else { return nil }
        var fraction = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...2).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits) else { return nil }
            fraction = digits.count == 1 ? value * 10 : value
        }
        return yuan * 100 + fraction
    }

    /// "2.50", "-6.00", "1234.05".
    public static func yuan(_ fen: Int) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// "¥2.50"; negative amounts as "-¥6.00".
    public static func display(_ fen: Int) -> String {
        fen < 0 ? "-¥" + yuan(-fen) : "¥" + yuan(fen)
    }

    /// `fen × percent / 100`, rounded to the nearest fen with halves rounded up.
    public static func percent(_ fen: Int, _ percent: Int) -> Int {
        let scaled = fen * percent
        return scaled >= 0 ? (scaled + 50) / 100 : -((-scaled + 50) / 100)
    }
}
