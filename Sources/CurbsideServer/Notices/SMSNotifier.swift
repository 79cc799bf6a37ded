import CurbsideCore
import CurbsideMessaging

/// Sends messages to phones (`sms:` recipients) through an SMS provider, by
/// the template each kind's text file names for that provider, filled with
/// the message's parameters; anything else (a plate, for the city's
/// vehicle-owner messaging) goes to `others`.
struct SMSNotifier: Notifier {
    let provider: any SMSProvider
    /// `aliyun` or `tencent`: the key of the template ids in the text files, and the channel notices record.
    let channel: String
    let texts: NoticeTexts
    let others: any Notifier

    func send(_ message: OutgoingMessage) async throws -> Handover {
        guard message.recipient.hasPrefix("sms:") else { return try await others.send(message) }
        guard let kind = message.kind else {
            throw NotifierRefusal(channel: channel, code: "no_template", message: "a notice written before notices had kinds cannot be sent by template")
        }
        let text = texts.text(kind, language: message.language)
        guard let template = text.templates[channel] else {
            throw NotifierRefusal(channel: channel, code: "no_template", message: "the \(kind.rawValue) text names no \(channel) template")
        }
        let sms = SMSMessage(
            phone: String(message.recipient.dropFirst(4)), template: template, parameters: text.values(message.parameters), reference: message.id
        )
        let accepted: SMSAccepted
        do {
            accepted = try await provider.send(sms)
        } catch {
            if case let .refused(code, reason, retryable: false) = error { throw NotifierRefusal(channel: channel, code: code, message: reason) }
            throw error
        }
        return Handover(channel: channel, reference: accepted.providerID)
    }
}
