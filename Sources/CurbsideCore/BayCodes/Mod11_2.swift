/// ISO 7064 MOD 11-2, the pure check system used by the Chinese resident ID number.
///
/// Weights are powers of 2 modulo 11. Because 2 is a primitive root of 11 the
/// weights of any ten consecutive positions differ, so every single substitution,
/// every adjacent transposition and every jump transposition (abc → cba) in a
/// string of up to ten characters changes the checksum.
public enum Mod11_2 {
    /// The check value (0...10) for a string of decimal digit values.
    public static func checkValue(for digits: some Sequence<UInt8>) -> UInt8 {
        var p: UInt8 = 0
        for digit in digits {
            p = UInt8((UInt16(p) + UInt16(digit)) * 2 % 11)
        }
        return UInt8((12 - UInt16(p)) % 11)
    }

    /// The check character for a value: "0"..."9", or "X" for 10.
    public static func character(for value: UInt8) -> Character {
        value == 10 ? "X" : Character(Unicode.Scalar(UInt8(ascii: "0") + value))
    }

    /// The value of a check character, or nil if it is not one.
    public static func value(of character: Character) -> UInt8? {
        if character == "X" { return 10 }
        guard let ascii = character.asciiValue, ascii >= UInt8(ascii: "0"), ascii <= UInt8(ascii: "9") else {
            return nil
        }
        return ascii - UInt8(ascii: "0")
    }
}
