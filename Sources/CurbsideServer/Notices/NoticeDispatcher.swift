import CurbsideCore
import CurbsideRender
import CurbsideStore
import Logging

/// Sends what the outbox holds: claims a batch, renders each notice's text
/// in its recipient's language and its link's QR code, hands it to the
/// notifier, and records the outcome. Delivery is at least once: a dispatcher
/// that dies after sending and before recording leaves the notice to be sent
/// again when its lease runs out, under the same id.
struct NoticeDispatcher: Sendable {
    let outbox: NoticeOutbox
    let notifier: any Notifier
    let pacing: NoticePacing
    let clock: ZoneClock
    let texts: NoticeTexts
    /// The registered signature (签名) a text starts with, as the SMS provider puts it there.
    let signature: String
    let logger = Logger(label: "curbside.notices")

    /// Sends one batch; returns how many were delivered. In the quiet hours nothing goes: what is due waits for
    /// the morning; a recipient who has had the day's limit gets the rest the next morning; a citizen who turned
    /// SMS notices off gets none.
    @discardableResult
    func runOnce(now: Int64, limit: Int = 50) async throws -> Int {
        guard pacing.quietHours?.end(after: now, in: clock) == nil else { return 0 }
        let notices = try await outbox.claim(limit: limit, now: now)
        guard !notices.isEmpty else { return 0 }
        let dayStart = clock.utc(fromLocal: Int64(clock.localDay(now / 1000)) * 86_400) * 1000
        var sentToday = pacing.dailyLimit == nil ? [:] : try await outbox.sentCounts(recipients: Set(notices.map(\.recipient)), since: dayStart)
        let optedOut = try await outbox.optedOut(phones: Set(notices.compactMap { $0.recipient.hasPrefix("sms:") ? String($0.recipient.dropFirst(4)) : nil }))
        var delivered = 0
        var held: [Int] = []
        var passedOver: [Int] = []
        for notice in notices {
            if notice.recipient.hasPrefix("sms:"), optedOut.contains(String(notice.recipient.dropFirst(4))) {
                passedOver.append(notice.id)
                continue
            }
            if let daily = pacing.dailyLimit, sentToday[notice.recipient, default: 0] >= daily {
                held.append(notice.id)
                continue
            }
            let text = notice.kind.map { "【\(signature)】" + texts.text($0, language: notice.language).render(notice.parameters) } ?? notice.text
            do {
                let png = try QRCode(notice.link).image(scale: 4).encoded()
                let handover = try await notifier.send(OutgoingMessage(
                    id: "notice-\(notice.id)", recipient: notice.recipient, kind: notice.kind, parameters: notice.parameters, language: notice.language,
                    text: text, link: notice.link, qrPNG: png, secrets: PayLink.tokens(in: text + " " + notice.link)
                ))
                try await outbox.sent(notice.id, text: text, channel: handover.channel, reference: handover.reference, now: now)
                delivered += 1
                sentToday[notice.recipient, default: 0] += 1
            } catch let refusal as NotifierRefusal {
                logger.warning("notice refused for good", metadata: ["notice": "\(notice.id)", "error": "\(refusal)"])
                try await outbox.refused(notice.id, channel: refusal.channel, code: refusal.code, error: refusal.description, now: now)
            } catch {
                logger.warning("notice not delivered", metadata: ["notice": "\(notice.id)", "error": "\(error)"])
                try await outbox.failed(notice, error: "\(error)", now: now)
            }
        }
        if !passedOver.isEmpty { try await outbox.optedOut(passedOver, now: now) }
        if !held.isEmpty {
            let tomorrow = clock.utc(fromLocal: Int64(clock.localDay(now / 1000) + 1) * 86_400 + Int64(pacing.quietHours?.end ?? 0) * 3600) * 1000
            try await outbox.postpone(held, until: tomorrow)
        }
        return delivered
    }
}
