import Crypto
import Logging

/// Delivers by writing to the log: the default until an SMS or push provider
/// is configured. It logs sign-in codes too, so it is for development only.
struct LogNotifier: Notifier {
    let logger = Logger(label: "curbside.notices")

    func send(_ message: OutgoingMessage) async throws {
        var metadata: Logger.Metadata = ["id": "\(message.id)", "recipient": "\(message.recipient)", "text": "\(message.text)"]
        if let link = message.link { metadata["link"] = "\(link)" }
        if let png = message.qrPNG {
            metadata["qr_png_bytes"] = "\(png.count)"
            metadata["qr_png_sha256"] = "\(SHA256.hash(data: png).map { String(format: "%02x", $0) }.joined())"
        }
        logger.info("notice delivered", metadata: metadata)
    }
}
