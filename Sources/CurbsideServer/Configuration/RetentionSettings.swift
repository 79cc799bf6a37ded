import CurbsideCore

/// Retention and anonymisation: how long each kind of personal data is kept
/// whole, the key plates are pseudonymised with, and the local hour the
/// daily run starts.
public struct RetentionSettings: Sendable, Equatable {
    public var periods = RetentionPeriods()
    /// Kept outside the database, a pseudonym cannot be brute-forced from a copy of it (plates are few); unset, a key is made
    /// and kept in the database.
    public var key: String?
    public var hour = 3

    public init() {}

    /// `CURBSIDE_RETENTION_EVENTS_DAYS` (35, at least 31), `_IMAGES_DAYS` (100, at least 92), `_SESSIONS_DAYS` (180, at least 31),
    /// `_NOTICES_DAYS` (180, at least 31), `_EVENT_ROWS_DAYS` (100, at least 62), `CURBSIDE_RETENTION_HOUR` (3),
    /// `CURBSIDE_ANONYMISE_KEY` (at least 32 bytes).
    init(reading curbside: SettingsReader) throws {
        let retention = curbside.scoped(to: "retention")
        let longest = RetentionPeriods.longest
        periods.events = try retention.whole("eventsDays", default: periods.events, in: RetentionPeriods.leastEvents...longest)
        periods.images = try retention.whole("imagesDays", default: periods.images, in: RetentionPeriods.leastImages...longest)
        periods.sessions = try retention.whole("sessionsDays", default: periods.sessions, in: RetentionPeriods.leastSessions...longest)
        periods.notices = try retention.whole("noticesDays", default: periods.notices, in: RetentionPeriods.leastNotices...longest)
        periods.eventRows = try retention.whole("eventRowsDays", default: periods.eventRows, in: RetentionPeriods.leastEventRows...longest)
        hour = try retention.whole("hour", default: hour, in: 0...23)
        let anonymise = curbside.scoped(to: "anonymise")
        key = anonymise.text("key", isSecret: true)
        if let key, key.utf8.count < 32 {
            throw ConfigurationError(variable: anonymise.variable("key"), reason: "the key is at least 32 bytes")
        }
    }
}
