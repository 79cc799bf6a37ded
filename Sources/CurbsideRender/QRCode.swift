/// A QR code (ISO/IEC 18004) for a short text such as a payment link: byte
/// mode, error correction level M (15 % of the code can be lost), versions 1
/// to 10 (up to 213 bytes), the mask chosen by the standard's penalty rules.
public struct QRCode: Equatable, Sendable {
    public enum Failure: Error, Equatable, Sendable {
        /// More than 213 bytes of UTF-8.
        case tooLong(bytes: Int)
    }

    public let version: Int
    public let mask: Int
    /// Modules per side.
    public var size: Int { version * 4 + 17 }
    /// Dark modules, row by row.
    public let modules: [Bool]

    public func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// Encodes `text`; `mask` forces a mask pattern (0...7) instead of the best one.
    public init(_ text: String, mask forced: Int? = nil) throws(Failure) {
        let bytes = Array(text.utf8)
        guard let version = (1...10).first(where: { bytes.count <= Self.capacity($0) }) else { throw .tooLong(bytes: bytes.count) }
        let codewords = Self.interleaved(Self.dataCodewords(bytes, version: version), version: version)
        var unmasked = Matrix(version: version)
        unmasked.place(codewords)
        var best: (penalty: Int, mask: Int, modules: [Bool])?
        for mask in forced.map({ [$0] }) ?? Array(0...7) {
            var matrix = unmasked
            matrix.apply(mask: mask)
            matrix.drawFormat(mask: mask)
            let penalty = forced == nil ? matrix.penalty() : 0
            if best == nil || penalty < best!.penalty { best = (penalty, mask, matrix.dark) }
        }
        self.version = version
        mask = best!.mask
        modules = best!.modules
    }

    /// A gray PNG image: `scale` pixels per module and the 4-module quiet zone the standard asks for.
    public func image(scale: Int = 8) -> PNGImage {
        let side = (size + 8) * scale
        var pixels = [UInt8](repeating: 255, count: side * side)
        for y in 0..<size {
            for x in 0..<size where isDark(x: x, y: y) {
                for row in 0..<scale {
                    let start = ((y + 4) * scale + row) * side + (x + 4) * scale
                    pixels.replaceSubrange(start..<(start + scale), with: repeatElement(0, count: scale))
                }
            }
        }
        return PNGImage(width: side, height: side, format: .gray, pixels: pixels)
    }

    /// Error-correction blocks of each version at level M: codewords per block, and the data codewords of each block.
    struct Blocks {
        var ecPerBlock: Int
        var data: [Int]
    }

    /// Bytes a version holds: its data codewords less the mode and the length (8 bits, 16 from version 10).
    static func capacity(_ version: Int) -> Int {
        (blocks[version].data.reduce(0, +) * 8 - 4 - (version < 10 ? 8 : 16)) / 8
    }

    static let blocks: [Blocks] = [
        Blocks(ecPerBlock: 0, data: []),
        Blocks(ecPerBlock: 10, data: [16]), Blocks(ecPerBlock: 16, data: [28]), Blocks(ecPerBlock: 26, data: [44]),
        Blocks(ecPerBlock: 18, data: [32, 32]), Blocks(ecPerBlock: 24, data: [43, 43]), Blocks(ecPerBlock: 16, data: [27, 27, 27, 27]),
        Blocks(ecPerBlock: 18, data: [31, 31, 31, 31]), Blocks(ecPerBlock: 22, data: [38, 38, 39, 39]),
        Blocks(ecPerBlock: 22, data: [36, 36, 36, 37, 37]), Blocks(ecPerBlock: 26, data: [43, 43, 43, 43, 44]),
    ]

    /// Mode, length, the bytes, terminator and padding: the data codewords.
    static func dataCodewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        let total = blocks[version].data.reduce(0, +)
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) {
            for shift in stride(from: count - 1, through: 0, by: -1) { bits.append(value >> shift & 1 == 1) }
        }
        append(0b0100, 4)
        append(bytes.count, version < 10 ? 8 : 16)
        for byte in bytes { append(Int(byte), 8) }
        append(0, min(4, total * 8 - bits.count))
        while bits.count % 8 != 0 { bits.append(false) }
        var codewords = stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<(start + 8)].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
        var pad: [UInt8] = [0xEC, 0x11]
        while codewords.count < total {
            codewords.append(pad[0])
            pad.swapAt(0, 1)
        }
        return codewords
    }

    /// The data split into blocks, each with its Reed-Solomon codewords, interleaved.
    static func interleaved(_ data: [UInt8], version: Int) -> [UInt8] {
        let layout = blocks[version]
        var split: [[UInt8]] = []
        var offset = 0
        for count in layout.data {
            split.append(Array(data[offset..<(offset + count)]))
            offset += count
        }
        let ec = split.map { ReedSolomon.remainder($0, degree: layout.ecPerBlock) }
        var result: [UInt8] = []
        for index in 0..<(layout.data.max() ?? 0) {
            for block in split where index < block.count { result.append(block[index]) }
        }
        for index in 0..<layout.ecPerBlock {
            for block in ec { result.append(block[index]) }
        }
        return result
    }
}
