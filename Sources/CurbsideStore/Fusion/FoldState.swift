import CurbsideCore
import Foundation

/// How fold state is kept in its text columns (fold_tails, fold_checkpoints):
/// packed (`SessionFold.Checkpoint.packed`, `PackedText`). State saved as JSON
/// before still reads, so an upgrade needs no refold.
public enum FoldState {
    public static func text(_ checkpoint: SessionFold.Checkpoint) -> String {
        PackedText.text(checkpoint.packed())
    }

    static func checkpoint(_ text: String) throws -> SessionFold.Checkpoint {
        guard let bytes = try PackedText.bytes(text) else {
            return try JSONDecoder().decode(SessionFold.Checkpoint.self, from: Data(text.utf8))
        }
        return try SessionFold.Checkpoint(packed: bytes)
    }
}
