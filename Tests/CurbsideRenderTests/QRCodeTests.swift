import CurbsideRender
import CurbsideTestThreads
import Foundation
import Testing

/// QR codes for payment links, module for module against an independent
/// encoder's output (Fixtures/qr), and as PNG images.
@Suite("QR codes", .ownThread)
struct QRCodeTests {
    static let directory: String = {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/qr").path
    }()

    struct Reference {
        var text: String
        /// Per mask: version and rows.
        var codes: [(version: Int, rows: [String])]
    }

    static func reference(_ name: String) throws -> Reference {
        let lines = try String(contentsOfFile: directory + "/\(name).txt", encoding: .utf8).split(separator: "\n").map(String.init)
        var codes: [(version: Int, rows: [String])] = []
        for line in lines.dropFirst() {
            if line.hasPrefix("mask ") {
                codes.append((Int(line.split(separator: " ")[3])!, []))
            } else {
                codes[codes.count - 1].rows.append(line)
            }
        }
        return Reference(text: lines[0], codes: codes)
    }

    static func rows(_ code: QRCode) -> [String] {
        (0..<code.size).map { y in String((0..<code.size).map { code.isDark(x: $0, y: y) ? "#" : "." }) }
    }

    @Test("Every mask gives exactly the reference code: versions 1, 4, 9 and 10", arguments: ["plate", "link", "long", "longest"])
    func matchesReference(name: String) throws {
        let reference = try Self.reference(name)
        #expect(reference.codes.count == 8)
        for (mask, expected) in reference.codes.enumerated() {
            let code = try QRCode(reference.text, mask: mask)
            #expect(code.version == expected.version)
            let rows = Self.rows(code)
            let wrong = zip(rows, expected.rows).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
            #expect(rows.count == expected.rows.count && wrong.isEmpty, "\(name) mask \(mask): rows \(wrong.prefix(5)) differ")
        }
    }

    @Test("Without a forced mask, one of the eight is chosen and the code is one of the references")
    func chosenMask() throws {
        let reference = try Self.reference("link")
        let code = try QRCode(reference.text)
        #expect((0...7).contains(code.mask))
        #expect(Self.rows(code) == reference.codes[code.mask].rows)
    }

    @Test("Texts longer than 213 bytes are refused")
    func tooLong() {
        #expect(throws: QRCode.Failure.tooLong(bytes: 214)) { try QRCode(String(repeating: "x", count: 214)) }
    }

    @Test("The PNG has the quiet zone and scale asked for, and dark modules where the code has them")
    func png() throws {
        let code = try QRCode("https://pay.curbside.example/b/10010019-20261120-064329")
        let image = try PNGImage.decode(try code.image(scale: 4).encoded(), as: .gray)
        #expect(image.width == (code.size + 8) * 4)
        #expect(image.height == image.width)
        for (x, y) in [(0, 0), (3, 3), (code.size - 1, code.size - 1), (10, 12)] {
            let pixel = image.pixels[((y + 4) * 4 + 1) * image.width + (x + 4) * 4 + 2]
            #expect((pixel == 0) == code.isDark(x: x, y: y), "module \(x),\(y)")
        }
        #expect(image.pixels[0] == 255)
    }
}
