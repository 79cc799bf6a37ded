extension QRCode {
    /// The module grid while a code is built: function patterns first, then
    /// the codewords in the standard's zigzag, a mask, and the format bits.
    struct Matrix {
        let version: Int
        let size: Int
        var dark: [Bool]
        /// Modules of the function patterns, which data and masks leave alone.
        var reserved: [Bool]

        static let alignment: [[Int]] = [
            [], [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
        ]

        init(version: Int) {
            self.version = version
            size = version * 4 + 17
            dark = Array(repeating: false, count: size * size)
            reserved = dark
            for index in 8..<(size - 8) {
                set(x: 6, y: index, index % 2 == 0)
                set(x: index, y: 6, index % 2 == 0)
            }
            for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                for dy in -4...4 {
                    for dx in -4...4 where (0..<size).contains(x + dx) && (0..<size).contains(y + dy) {
                        let distance = max(abs(dx), abs(dy))
                        set(x: x + dx, y: y + dy, distance != 2 && distance != 4)
                    }
                }
            }
            let centres = Self.alignment[version]
            for cy in centres {
                for cx in centres where !((cx == 6 && cy == 6) || (cx == 6 && cy == centres.last!) || (cx == centres.last! && cy == 6)) {
                    for dy in -2...2 {
                        for dx in -2...2 { set(x: cx + dx, y: cy + dy, max(abs(dx), abs(dy)) != 1) }
                    }
                }
            }
            // Reserve the format areas now; their bits depend on the mask.
            drawFormat(mask: 0)
            if version >= 7 {
                var remainder = version
                for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
                let bits = version << 12 | remainder
                for index in 0..<18 {
                    let bit = bits >> index & 1 == 1
                    let a = size - 11 + index % 3
                    let b = index / 3
                    set(x: a, y: b, bit)
                    set(x: b, y: a, bit)
                }
            }
        }

        mutating func set(x: Int, y: Int, _ isDark: Bool) {
            dark[y * size + x] = isDark
            reserved[y * size + x] = true
        }

        /// The format bits (level M and the mask, BCH-protected) in both copies, and the dark module.
        mutating func drawFormat(mask: Int) {
            var remainder = mask
            for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
            let bits = (mask << 10 | remainder) ^ 0x5412
            func bit(_ index: Int) -> Bool { bits >> index & 1 == 1 }
            for index in 0...5 { set(x: 8, y: index, bit(index)) }
            set(x: 8, y: 7, bit(6))
            set(x: 8, y: 8, bit(7))
            set(x: 7, y: 8, bit(8))
            for index in 9..<15 { set(x: 14 - index, y: 8, bit(index)) }
            for index in 0..<8 { set(x: size - 1 - index, y: 8, bit(index)) }
            for index in 8..<15 { set(x: 8, y: size - 15 + index, bit(index)) }
            set(x: 8, y: size - 8, true)
        }

        /// The codewords' bits, two columns at a time from the right, up and down in turn.
        mutating func place(_ codewords: [UInt8]) {
            var index = 0
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                for step in 0..<size {
                    for column in 0..<2 {
                        let x = right - column
                        let y = (right + 1) & 2 == 0 ? size - 1 - step : step
                        guard !reserved[y * size + x], index < codewords.count * 8 else { continue }
                        dark[y * size + x] = codewords[index >> 3] >> (7 - index & 7) & 1 == 1
                        index += 1
                    }
                }
                right -= 2
            }
        }

        mutating func apply(mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !reserved[y * size + x] {
                    let flip = switch mask {
                    case 0: (x + y) % 2 == 0
                    case 1: y % 2 == 0
                    case 2: x % 3 == 0
                    case 3: (x + y) % 3 == 0
                    case 4: (x / 3 + y / 2) % 2 == 0
                    case 5: x * y % 2 + x * y % 3 == 0
                    case 6: (x * y % 2 + x * y % 3) % 2 == 0
                    default: ((x + y) % 2 + x * y % 3) % 2 == 0
                    }
                    if flip { dark[y * size + x].toggle() }
                }
            }
        }

        /// The standard's penalty: long runs, 2x2 blocks, finder-like patterns, and imbalance of dark and light.
        func penalty() -> Int {
            var score = 0
            let finderLike: [Bool] = [true, false, true, true, true, false, true]
            for line in 0..<size {
                for vertical in [false, true] {
                    let modules = (0..<size).map { vertical ? dark[$0 * size + line] : dark[line * size + $0] }
                    var run = 1
                    for index in 1...size {
                        if index < size, modules[index] == modules[index - 1] {
                            run += 1
                        } else {
                            if run >= 5 { score += 3 + run - 5 }
                            run = 1
                        }
                    }
                    func light(_ range: Range<Int>) -> Bool { range.allSatisfy { $0 < 0 || $0 >= size || !modules[$0] } }
                    for start in 0...(size - 7) where Array(modules[start..<(start + 7)]) == finderLike {
                        if light((start - 4)..<start) || light((start + 7)..<(start + 11)) { score += 40 }
                    }
                }
            }
            for y in 0..<(size - 1) {
                for x in 0..<(size - 1) {
                    let colour = dark[y * size + x]
                    if dark[y * size + x + 1] == colour, dark[(y + 1) * size + x] == colour, dark[(y + 1) * size + x + 1] == colour { score += 3 }
                }
            }
            let total = size * size
            let darkCount = dark.filter { $0 }.count
            score += ((abs(darkCount * 20 - total * 10) + total - 1) / total - 1) * 10
            return score
        }
    }
}
