/// One message to one recipient: a notice to pay with its link and QR code,
/// or a sign-in code.
struct OutgoingMessage: Sendable {
    /// Stable per message, so a provider can drop a repeat after a retry.
    var id: String
    /// `sms:<phone>` or `plate:<plate>/<colour>`.
    var recipient: String
    var text: String
    var link: String?
    /// The link as a QR code, PNG.
    var qrPNG: [UInt8]?
    /// What in the text or link only its recipient may see (a sign-in code, a
    /// payment token): a notifier that writes a log leaves these out.
    var secrets: [String] = []
}

/// Delivers messages. SMS and app-push providers are adapters of this; a
/// thrown error means not delivered, and the outbox tries again later.
protocol Notifier: Sendable {
    func send(_ message: OutgoingMessage) async throws
}
