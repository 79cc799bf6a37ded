import CurbsideCore

/// How notices are paced for their recipients: nothing at night, and at most
/// so many a day to one recipient; the rest wait for the morning. Sign-in
/// codes are not notices: they go at once, at any hour.
public struct NoticePacing: Sendable, Equatable {
    public var quietHours: QuietHours?
    /// Notices one recipient gets in a local day, at most.
    public var dailyLimit: Int?

    public init(quietHours: QuietHours? = nil, dailyLimit: Int? = nil) {
        self.quietHours = quietHours
        self.dailyLimit = dailyLimit
    }

    /// By SMS the quiet hours are 21-8 unless set.
    static let smsQuietHours = QuietHours(start: 21, end: 8)

    /// `CURBSIDE_QUIET_HOURS` (such as `21-8`, or `none`), `CURBSIDE_NOTICES_PER_DAY`; unset, no limit, and quiet
    /// hours only for SMS.
    init(reading curbside: SettingsReader, sms: Bool) throws {
        quietHours = sms ? Self.smsQuietHours : nil
        switch curbside.text("quietHours") {
        case nil: break
        case "none": quietHours = nil
        case let text?:
            guard let hours = QuietHours(text) else { throw curbside.refusal("quietHours", "expected two different hours from 0 to 23 such as 21-8, or none", text: text) }
            quietHours = hours
        }
        if curbside.text("noticesPerDay") != nil { dailyLimit = try curbside.whole("noticesPerDay", default: 0, in: 1...1000) }
    }
}
