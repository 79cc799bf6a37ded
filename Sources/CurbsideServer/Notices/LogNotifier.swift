import Crypto
import Logging

/// Delivers by writing to the log: the default until an SMS or push provider
/// is configured, for development. Codes and payment tokens are left out of
/// what it writes unless `revealSecrets` is set (CURBSIDE_DEV_LOG_SECRETS=true,
/// on a developer's own machine only).
struct LogNotifier: Notifier {
    let logger = Logger(label: "curbside.notices")
    var revealSecrets = false

    func send(_ message: OutgoingMessage) async throws -> Handover {
        func shown(_ text: String) -> String {
            revealSecrets ? text : message.secrets.filter { !$0.isEmpty }.reduce(text) { $0.replacingOccurrences(of: $1, with: LogRedaction.mask) }
        }
        var metadata: Logger.Metadata = ["id": "\(message.id)", "recipient": "\(message.recipient)", "text": "\(shown(message.text))"]
        if let link = message.link { metadata["link"] = "\(shown(link))" }
        if let png = message.qrPNG {
            metadata["qr_png_bytes"] = "\(png.count)"
            metadata["qr_png_sha256"] = "\(SHA256.hash(data: png).map { String(format: "%02x", $0) }.joined())"
        }
        logger.info("notice delivered", metadata: metadata)
        return Handover(channel: "log")
    }
}
