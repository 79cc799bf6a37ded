import CurbsideAPI
import CurbsideStore
import Foundation

extension Components.Schemas.Notice {
    init(_ notice: Notice) {
        self.init(
            id: Int64(notice.id), recipient: notice.recipient, kind: notice.kind.flatMap { .init(rawValue: $0.rawValue) }, language: notice.language,
            text: notice.text, link: notice.link, attempts: notice.attempts, sentAt: notice.sentAt.map(Date.init(milliseconds:)), lastError: notice.lastError,
            channel: notice.channel, delivery: notice.delivery.flatMap { .init(rawValue: $0.rawValue) }, deliveryCode: notice.deliveryCode,
            reportedAt: notice.reportedAt.map(Date.init(milliseconds:))
        )
    }
}

extension Components.Schemas.NoticePreferences {
    init(_ preferences: NoticePreferences) {
        self.init(
            language: preferences.language.flatMap { .init(rawValue: $0) }, smsNotices: preferences.smsNotices,
            optedOutAt: preferences.optedOutAt.map(Date.init(milliseconds:))
        )
    }
}
