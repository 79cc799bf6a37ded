import Foundation

/// Delivers each message as `<id>.txt`, and its QR code as `<id>.png`, in a
/// directory: for the demo, and for handing notices to a mail-merge or print run.
struct DirectoryNotifier: Notifier {
    let directory: String

    func send(_ message: OutgoingMessage) async throws -> Handover {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = URL(fileURLWithPath: directory).appendingPathComponent(message.id)
        var text = "To: \(message.recipient)\n\n\(message.text)\n"
        if let link = message.link { text += "\n\(link)\n" }
        try Data(text.utf8).write(to: base.appendingPathExtension("txt"), options: .atomic)
        if let png = message.qrPNG {
            try Data(png).write(to: base.appendingPathExtension("png"), options: .atomic)
        }
        return Handover(channel: "directory")
    }
}
