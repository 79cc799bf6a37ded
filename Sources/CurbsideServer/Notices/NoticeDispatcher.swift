import CurbsideCore
import CurbsideRender
import CurbsideStore
import Logging

/// Sends what the outbox holds: claims a batch, renders each link's QR code,
/// hands it to the notifier, and records the outcome. Delivery is at least
/// once: a dispatcher that dies after sending and before recording leaves the
/// notice to be sent again when its lease runs out, under the same id.
struct NoticeDispatcher: Sendable {
    let outbox: NoticeOutbox
    let notifier: any Notifier
    let pacing: NoticePacing
    let clock: ZoneClock
    let logger = Logger(label: "curbside.notices")

    /// Sends one batch; returns how many were delivered. In the quiet hours nothing goes: what is due waits for
    /// the morning; a recipient who has had the day's limit gets the rest the next morning.
    @discardableResult
    func runOnce(now: Int64, limit: Int = 50) async throws -> Int {
        guard pacing.quietHours?.end(after: now, in: clock) == nil else { return 0 }
        let notices = try await outbox.claim(limit: limit, now: now)
        let dayStart = clock.utc(fromLocal: Int64(clock.localDay(now / 1000)) * 86_400) * 1000
        var sentToday = pacing.dailyLimit == nil ? [:] : try await outbox.sentCounts(recipients: Set(notices.map(\.recipient)), since: dayStart)
        var delivered = 0
        var held: [Int] = []
        for notice in notices {
            if let daily = pacing.dailyLimit, sentToday[notice.recipient, default: 0] >= daily {
                held.append(notice.id)
                continue
            }
            do {
                let png = try QRCode(notice.link).image(scale: 4).encoded()
                try await notifier.send(OutgoingMessage(
                    id: "notice-\(notice.id)", recipient: notice.recipient, text: notice.text, link: notice.link, qrPNG: png,
                    secrets: PayLink.tokens(in: notice.text + " " + notice.link)
                ))
                try await outbox.sent(notice.id, now: now)
                delivered += 1
                sentToday[notice.recipient, default: 0] += 1
            } catch {
                logger.warning("notice not delivered", metadata: ["notice": "\(notice.id)", "error": "\(error)"])
                try await outbox.failed(notice, error: "\(error)", now: now)
            }
        }
        if !held.isEmpty {
            let tomorrow = clock.utc(fromLocal: Int64(clock.localDay(now / 1000) + 1) * 86_400 + Int64(pacing.quietHours?.end ?? 0) * 3600) * 1000
            try await outbox.postpone(held, until: tomorrow)
        }
        return delivered
    }
}
