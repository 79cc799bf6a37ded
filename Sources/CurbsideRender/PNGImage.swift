import CPNG

/// An 8-bit image held in memory, written and read as PNG with libpng's
/// simplified API (which reports errors by return value, never by longjmp).
public struct PNGImage: Equatable, Sendable {
    public enum Format: Sendable {
        case gray, rgb, rgba

        public var channels: Int {
            switch self {
            case .gray: 1
            case .rgb: 3
            case .rgba: 4
            }
        }

        var libpng: UInt32 {
            switch self {
            // The composite PNG_FORMAT_* macros do not import into Swift; their flags do.
            case .gray: 0
            case .rgb: UInt32(PNG_FORMAT_FLAG_COLOR)
            case .rgba: UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
            }
        }
    }

    public let width: Int
    public let height: Int
    public let format: Format
    /// Rows top to bottom, `width * format.channels` bytes each.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, format: Format, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * format.channels, "pixel buffer does not match the size")
        self.width = width
        self.height = height
        self.format = format
        self.pixels = pixels
    }

    /// A blank image of one colour (given as `format.channels` bytes).
    public init(width: Int, height: Int, format: Format, fill: [UInt8]) {
        precondition(fill.count == format.channels)
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * format.channels)
        for _ in 0..<(width * height) { pixels += fill }
        self.init(width: width, height: height, format: format, pixels: pixels)
    }

    public func encoded() throws(PNGError) -> [UInt8] {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = format.libpng
        var size: png_alloc_size_t = 0
        let measured = pixels.withUnsafeBytes { png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, 0, nil) }
        guard measured != 0, size > 0 else { throw PNGError(image: &image) }
        var output = [UInt8](repeating: 0, count: Int(size))
        let written = output.withUnsafeMutableBytes { buffer in
            pixels.withUnsafeBytes { png_image_write_to_memory(&image, buffer.baseAddress, &size, 0, $0.baseAddress, 0, nil) }
        }
        guard written != 0 else { throw PNGError(image: &image) }
        return Array(output.prefix(Int(size)))
    }

    /// Reads a PNG, converting it to `format`.
    public static func decode(_ data: [UInt8], as format: Format = .rgba) throws(PNGError) -> PNGImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let began = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard began != 0 else { throw PNGError(image: &image) }
        image.format = format.libpng
        var pixels = [UInt8](repeating: 0, count: Int(image.width) * Int(image.height) * format.channels)
        let finished = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard finished != 0 else { throw PNGError(image: &image) }
        return PNGImage(width: Int(image.width), height: Int(image.height), format: format, pixels: pixels)
    }
}

/// libpng's own message for what went wrong.
public struct PNGError: Error, CustomStringConvertible {
    public var description: String

    init(image: inout png_image) {
        description = withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        png_image_free(&image)
    }
}
