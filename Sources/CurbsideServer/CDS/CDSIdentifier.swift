import Crypto
import Foundation

/// CDS wants UUIDs for curb areas, zones and spaces; Curbside's ids are
/// codes people read. Each CDS id is a name-based UUID (version 5, RFC 9562)
/// of the kind and code, so it never changes while the code stays the same
/// and needs no table to remember it.
enum CDSIdentifier {
    /// Curbside's own namespace for CDS names.
    static let namespace = UUID(uuidString: "6f1f5e0a-7a43-4c1e-9b7e-3c2d6a8e4b10")!

    static func uuid(_ kind: String, _ code: String) -> String {
        var bytes = withUnsafeBytes(of: namespace.uuid) { Array($0) }
        bytes += Array("\(kind):\(code)".utf8)
        var digest = Array(Insecure.SHA1.hash(data: bytes).prefix(16))
        digest[6] = (digest[6] & 0x0F) | 0x50
        digest[8] = (digest[8] & 0x3F) | 0x80
        let hex = digest.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    static func area(_ zone: String) -> String { uuid("area", zone) }
    static func zone(_ segment: String) -> String { uuid("zone", segment) }
    static func space(_ bay: String) -> String { uuid("space", bay) }
}
