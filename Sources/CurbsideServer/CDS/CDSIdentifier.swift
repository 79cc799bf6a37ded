import Crypto
import Foundation

/// CDS wants UUIDs for curb areas, zones and spaces; Curbside's ids are
/// codes people read. Each CDS id is a name-based UUID (version 5, RFC 9562)
/// of the kind and code, so it never changes while the code stays the same
/// and needs no table to remember it.
enum CDSIdentifier {
    /// Curbside's own namespace for CDS names.
    static let namespace = UUID(uuidString: "6f1f5e0a-7a43-4c1e-9b7e-3c2d6a8e4b10")!

    /// A hasher that has read the namespace, copied for each name.
    static let seeded: Insecure.SHA1 = {
        var hasher = Insecure.SHA1()
        withUnsafeBytes(of: namespace.uuid) { hasher.update(bufferPointer: $0) }
        return hasher
    }()

    static func uuid(_ kind: String, _ code: String) -> String {
        var hasher = seeded
        hasher.update(data: Array("\(kind):\(code)".utf8))
        var digest = Array(hasher.finalize().prefix(16))
        digest[6] = (digest[6] & 0x0F) | 0x50
        digest[8] = (digest[8] & 0x3F) | 0x80
        // Written out by hand: exports name thousands of stays, and String(format:) per byte is slow.
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in digest.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func area(_ zone: String) -> String { uuid("area", zone) }
    static func zone(_ segment: String) -> String { uuid("zone", segment) }
    static func space(_ bay: String) -> String { uuid("space", bay) }
}
