/// How long each kind of personal data is kept whole, in days, before it
/// loses its plates (replaced by a keyed hash) and its images. Seed 003 sets
/// the floor (dynamic data at least a month, images at least three months);
/// the data-security law the other side (no longer than needed).
public struct RetentionPeriods: Sendable, Equatable {
    /// Device events: a month and the days a month's report and a late correction may still need.
    public var events = 35
    /// Evidence images: three months and a margin, the seed's minimum.
    public var images = 100
    /// Parking sessions: half a year, the longest an appeal or a complaint comes after a stay.
    public var sessions = 180
    /// Notices (the phone and the text sent): as long as the sessions they are about.
    public var notices = 180
    /// Device events themselves, anonymised long before: three months and a margin, as images, then the rows go
    /// (on PostgreSQL a month at a time, once the whole month is past). Sessions, sums and the ledger stay.
    public var eventRows = 100

    /// The seed's floors: a configuration below them is refused.
    public static let leastEvents = 31
    public static let leastImages = 92
    public static let leastSessions = 31
    public static let leastNotices = 31
    /// Ingestion looks for a resent event id among the last 61 days' events, and refolds start from checkpoints weeks back.
    public static let leastEventRows = 62
    /// Ten years: a longer period is a typing error, not a policy.
    public static let longest = 3_660

    public init() {}

    /// The instant before which data of `days` is past its retention (UTC ms).
    public static func cutoff(days: Int, now: Int64) -> Int64 {
        now - Int64(days) * 86_400_000
    }
}
