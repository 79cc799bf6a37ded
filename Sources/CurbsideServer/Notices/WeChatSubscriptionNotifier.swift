import CurbsideCore
import CurbsidePayments
import CurbsideStore
import Foundation
import Logging

/// Sends a notice to a citizen's WeChat as a subscription message when they
/// linked WeChat and have an agreement left for the kind's template (each
/// agreement is good for one message); otherwise, or when WeChat says the
/// agreement is gone, through `others` (SMS, or the log). Sign-in codes
/// always go by SMS: they prove the phone.
struct WeChatSubscriptionNotifier: Notifier {
    let open: WeChatOpenClient
    let texts: NoticeTexts
    let subscriptions: WeChatSubscriptions
    let others: any Notifier
    let logger = Logger(label: "curbside.notices")

    func send(_ message: OutgoingMessage) async throws -> Handover {
        guard message.recipient.hasPrefix("sms:"), let kind = message.kind, kind != .signInCode,
              let wechat = texts.text(kind, language: message.language).wechat ?? texts.text(kind, language: nil).wechat
        else { return try await others.send(message) }
        let phone = String(message.recipient.dropFirst(4))
        let now = Date().milliseconds
        guard let openID = try await subscriptions.take(phone: phone, template: wechat.template, now: now) else { return try await others.send(message) }
        let data = wechat.keys.map { (key: $0.key, value: message.parameters[$0.parameter] ?? "") }
        let bill = message.parameters["bill"] ?? ""
        do {
            try await open.send(WeChatSubscribeMessage(openID: openID, template: wechat.template, data: data, page: "pages/bill/index?bill=\(bill)"))
            return Handover(channel: "wechat", reference: nil)
        } catch {
            switch error {
            case let .refused(code, reason) where code == 43101:
                // The user no longer agrees (or used the agreement up elsewhere): none is counted, and SMS carries it.
                logger.info("subscription message refused; sent by the other channel", metadata: ["code": "\(code)", "reason": "\(reason)"])
                try await subscriptions.spent(phone: phone, template: wechat.template, now: now)
                return try await others.send(message)
            case let .refused(code, reason) where code != -1 && code != 45009:
                // A template or data WeChat will not take: the agreement is kept, and SMS carries this one.
                logger.warning("subscription message refused; sent by the other channel", metadata: ["code": "\(code)", "reason": "\(reason)"])
                try await subscriptions.giveBack(phone: phone, template: wechat.template, now: now)
                return try await others.send(message)
            default:
                // Busy, rate-limited or not answered: the agreement is kept for the next try.
                try await subscriptions.giveBack(phone: phone, template: wechat.template, now: now)
                throw error
            }
        }
    }
}
