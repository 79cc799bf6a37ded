import CurbsideCore
import Foundation

/// Packed state (`PackedWriter`) as kept in a text column: base64. Rows written
/// as JSON by earlier versions are told apart by their opening brace.
enum PackedText {
    static func text(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// The packed bytes, or nil for a row written as JSON.
    static func bytes(_ text: String) throws(PackingError) -> [UInt8]? {
        guard text.utf8.first != UInt8(ascii: "{") else { return nil }
        guard let data = Data(base64Encoded: text) else { throw PackingError(offset: 0) }
        return [UInt8](data)
    }
}
