/// Identifiers that cannot be guessed, in characters every channel accepts
/// (WeChat's out_trade_no allows letters, digits, _ - | * only) and no
/// letters easily confused when read out.
enum RandomID {
    static let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")

    static func make(_ prefix: String, length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }
}
