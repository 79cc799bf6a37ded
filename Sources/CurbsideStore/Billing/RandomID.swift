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

/// Bill numbers: opaque, so that a number shown to whoever looks a plate up
/// says nothing of where or when the car parked, yet short enough to read
/// out on the phone (B and ten characters, 50 bits).
public enum BillNumber {
    public static func make() -> String {
        RandomID.make("B", length: 10)
    }
}
