import CurbsideCore
import Foundation

/// How fold state is kept in its text columns (fold_tails, fold_checkpoints):
/// packed (`SessionFold.Checkpoint.packed`) in base64. State saved as JSON
/// before still reads, so an upgrade needs no refold.
enum FoldState {
    static func text(_ checkpoint: SessionFold.Checkpoint) -> String {
        Data(checkpoint.packed()).base64EncodedString()
    }

    static func checkpoint(_ text: String) throws -> SessionFold.Checkpoint {
        if text.utf8.first == UInt8(ascii: "{") {
            return try JSONDecoder().decode(SessionFold.Checkpoint.self, from: Data(text.utf8))
        }
        guard let bytes = Data(base64Encoded: text) else { throw PackingError(offset: 0) }
        return try SessionFold.Checkpoint(packed: [UInt8](bytes))
    }
}
