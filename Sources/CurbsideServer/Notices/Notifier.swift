import CurbsideCore

/// One message to one recipient: a notice with its link and QR code, or a
/// sign-in code.
struct OutgoingMessage: Sendable {
    /// Stable per message, so a provider can drop a repeat after a retry.
    var id: String
    /// `sms:<phone>` or `plate:<plate>/<colour>`.
    var recipient: String
    /// What it is about and what fills its text: a provider that sends by template needs these, not the text.
    var kind: NoticeKind?
    var parameters: [String: String] = [:]
    var language: String?
    /// The text in full, signature first, for channels that carry text as it is.
    var text: String
    var link: String?
    /// The link as a QR code, PNG.
    var qrPNG: [UInt8]?
    /// What in the text or link only its recipient may see (a sign-in code, a
    /// payment token): a notifier that writes a log leaves these out.
    var secrets: [String] = []
}

/// Who took a message: the channel (`aliyun`, `tencent`, `log`, `directory`)
/// and, for a provider, its id for the message, which its delivery report names.
struct Handover: Sendable, Equatable {
    var channel: String
    var reference: String?
}

/// Delivers messages. SMS providers are adapters of this. A message refused
/// for good throws `NotifierRefusal`; any other error means not delivered
/// yet, and the outbox tries again later.
protocol Notifier: Sendable {
    func send(_ message: OutgoingMessage) async throws -> Handover
}

/// The channel will never take this message (a bad number, no approved template): sending it again is pointless.
struct NotifierRefusal: Error, CustomStringConvertible {
    var channel: String
    var code: String
    var message: String

    var description: String { "\(channel) refused (\(code)): \(message)" }

    /// The refusal is about the number (not a mobile number, on a blacklist) rather than our account or template:
    /// Alibaba Cloud's isv.MOBILE_NUMBER_ILLEGAL, isv.BLACK_KEY_CONTROL_LIMIT; Tencent Cloud's
    /// InvalidParameterValue.IncorrectPhoneNumber, FailedOperation.PhoneNumberInBlacklist.
    var isAboutRecipient: Bool {
        ["MOBILE_NUMBER", "BLACK_KEY", "PhoneNumber"].contains { code.contains($0) }
    }
}
