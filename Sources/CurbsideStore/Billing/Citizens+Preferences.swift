import FluentKit
import SQLKit

/// How a citizen wants to hear from the city: the language of their notices
/// and whether notices come by SMS at all. Sign-in codes come whatever they
/// choose: they asked for them.
public struct NoticePreferences: Sendable, Equatable {
    /// `zh` or `en`; nil for Chinese.
    public var language: String?
    public var smsNotices: Bool
    /// When SMS notices were turned off.
    public var optedOutAt: Int64?

    public init(language: String?, smsNotices: Bool, optedOutAt: Int64? = nil) {
        self.language = language
        self.smsNotices = smsNotices
        self.optedOutAt = optedOutAt
    }
}

extension Citizens {
    struct PreferenceRow: Decodable { var language: String?; var sms_opt_out_ms: Int64? }

    public func preferences(_ citizen: String) async throws -> NoticePreferences? {
        try await database.sql.raw("SELECT language, sms_opt_out_ms FROM citizens WHERE id = \(bind: citizen)").first(decoding: PreferenceRow.self).map {
            NoticePreferences(language: $0.language, smsNotices: $0.sms_opt_out_ms == nil, optedOutAt: $0.sms_opt_out_ms)
        }
    }

    /// Sets the language and the SMS opt-out; turning SMS off again keeps the time it was first turned off.
    @discardableResult
    public func setPreferences(_ citizen: String, language: String?, smsNotices: Bool, now: Int64) async throws -> NoticePreferences? {
        try await store.write(on: database) { db in
            let optOut: SQLQueryString = smsNotices ? "NULL" : "COALESCE(sms_opt_out_ms, \(bind: now))"
            try await db.sql.raw("UPDATE citizens SET language = \(bind: language), sms_opt_out_ms = \(optOut) WHERE id = \(bind: citizen)").run()
        }
        return try await preferences(citizen)
    }

    /// The language of the citizen with this phone, if there is one and they chose one.
    public func language(phone: String) async throws -> String? {
        try await database.sql.raw("SELECT language, sms_opt_out_ms FROM citizens WHERE phone = \(bind: phone)").first(decoding: PreferenceRow.self)?.language
    }
}
