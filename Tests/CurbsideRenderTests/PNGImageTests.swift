import CurbsideRender
import CurbsideTestThreads
import Testing

@Suite("PNG through libpng", .ownThread)
struct PNGImageTests {
    @Test("An image survives writing and reading back, pixel for pixel", arguments: [PNGImage.Format.gray, .rgb, .rgba])
    func roundTrip(format: PNGImage.Format) throws {
        let width = 37, height = 11
        let pixels = (0..<(width * height * format.channels)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let image = PNGImage(width: width, height: height, format: format, pixels: pixels)
        let bytes = try image.encoded()
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(try PNGImage.decode(bytes, as: format) == image)
    }

    @Test("Bytes that are not a PNG are refused with libpng's reason")
    func garbage() {
        #expect(throws: PNGError.self) { try PNGImage.decode(Array("not a png at all".utf8)) }
    }
}
