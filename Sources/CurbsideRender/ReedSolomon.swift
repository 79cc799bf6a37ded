/// Reed-Solomon error correction over GF(2^8) with the QR code's polynomial
/// x^8 + x^4 + x^3 + x^2 + 1.
enum ReedSolomon {
    /// The `degree` error-correction codewords of `data`.
    static func remainder(_ data: [UInt8], degree: Int) -> [UInt8] {
        let divisor = divisor(degree)
        var result = [UInt8](repeating: 0, count: degree)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for index in 0..<degree { result[index] ^= multiply(divisor[index], factor) }
        }
        return result
    }

    /// The generator polynomial (x - α^0)(x - α^1)...(x - α^(degree-1)), leading term left out.
    static func divisor(_ degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for index in 0..<degree {
                result[index] = multiply(result[index], root)
                if index + 1 < degree { result[index] ^= result[index + 1] }
            }
            root = multiply(root, 2)
        }
        return result
    }

    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var product: UInt16 = 0
        for bit in stride(from: 7, through: 0, by: -1) {
            product = (product << 1) ^ ((product >> 7) * 0x11D)
            product ^= UInt16(y >> bit & 1) * UInt16(x)
        }
        return UInt8(product & 0xFF)
    }
}
