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
    let logger = Logger(label: "curbside.notices")

    /// Sends one batch; returns how many were delivered.
    @discardableResult
    func runOnce(now: Int64, limit: Int = 50) async throws -> Int {
        var delivered = 0
        for notice in try await outbox.claim(limit: limit, now: now) {
            do {
                let png = try QRCode(notice.link).image(scale: 4).encoded()
                try await notifier.send(OutgoingMessage(
                    id: "notice-\(notice.id)", recipient: notice.recipient, text: notice.text, link: notice.link, qrPNG: png,
                    secrets: PayLink.tokens(in: notice.text + " " + notice.link)
                ))
                try await outbox.sent(notice.id, now: now)
                delivered += 1
            } catch {
                logger.warning("notice not delivered", metadata: ["notice": "\(notice.id)", "error": "\(error)"])
                try await outbox.failed(notice, error: "\(error)", now: now)
            }
        }
        return delivered
    }
}
