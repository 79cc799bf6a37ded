/// An RGB drawing surface for charts: filled rectangles, straight lines and
/// bitmap text, turned into a `PNGImage` at the end.
public struct Canvas: Sendable {
    public struct Colour: Sendable, Equatable {
        public var red: UInt8
        public var green: UInt8
        public var blue: UInt8

        public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
            self.red = red
            self.green = green
            self.blue = blue
        }

        public static let white = Colour(255, 255, 255)
        public static let ink = Colour(33, 37, 41)
        public static let grid = Colour(222, 226, 230)

        /// A straight mix: `fraction` 0 is self, 1 is `other`.
        public func mixed(with other: Colour, _ fraction: Double) -> Colour {
            let f = min(1, max(0, fraction))
            func channel(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) * (1 - f) + Double(b) * f).rounded()) }
            return Colour(channel(red, other.red), channel(green, other.green), channel(blue, other.blue))
        }
    }

    public enum Alignment: Sendable {
        case left, centre, right
    }

    public let width: Int
    public let height: Int
    private var pixels: [UInt8]

    public init(width: Int, height: Int, background: Colour = .white) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fill(x: 0, y: 0, width: width, height: height, background)
    }

    public func colour(x: Int, y: Int) -> Colour {
        let i = (y * width + x) * 3
        return Colour(pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Fills a rectangle, clipped to the canvas.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ colour: Colour) {
        let left = max(0, x), right = min(width, x + w), top = max(0, y), bottom = min(height, y + h)
        guard left < right, top < bottom else { return }
        for row in top..<bottom {
            var i = (row * width + left) * 3
            for _ in left..<right {
                pixels[i] = colour.red
                pixels[i + 1] = colour.green
                pixels[i + 2] = colour.blue
                i += 3
            }
        }
    }

    public mutating func horizontalLine(x: Int, y: Int, length: Int, _ colour: Colour) {
        fill(x: x, y: y, width: length, height: 1, colour)
    }

    public mutating func verticalLine(x: Int, y: Int, length: Int, _ colour: Colour) {
        fill(x: x, y: y, width: 1, height: length, colour)
    }

    /// Draws text with its top at `y`, aligned about `x`. Characters the font lacks are left blank.
    public mutating func text(_ text: String, x: Int, y: Int, scale: Int = 1, align: Alignment = .left, _ colour: Colour = .ink) {
        let width = BitmapFont.measure(text, scale: scale)
        var left = switch align {
        case .left: x
        case .centre: x - width / 2
        case .right: x - width
        }
        for character in text {
            if let rows = BitmapFont.glyph(character) {
                for (row, bits) in rows.enumerated() {
                    for column in 0..<BitmapFont.width where bits & (0x10 >> UInt8(column)) != 0 {
                        fill(x: left + column * scale, y: y + row * scale, width: scale, height: scale, colour)
                    }
                }
            }
            left += BitmapFont.advance * scale
        }
    }

    public var image: PNGImage {
        PNGImage(width: width, height: height, format: .rgb, pixels: pixels)
    }
}
