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

    /// `CURBSIDE_QUIET_HOURS` (such as `21-8`), `CURBSIDE_NOTICES_PER_DAY`; both unset by default.
    init(reading curbside: SettingsReader) throws {
        if let text = curbside.text("quietHours") {
            guard let hours = QuietHours(text) else { throw curbside.refusal("quietHours", "expected two different hours from 0 to 23 such as 21-8", text: text) }
            quietHours = hours
        }
        if curbside.text("noticesPerDay") != nil { dailyLimit = try curbside.whole("noticesPerDay", default: 0, in: 1...1000) }
    }
}
