import Foundation

/// The city platform's endpoint and the credentials Curbside signs its batches with.
public struct CityFeedSettings: Sendable {
    public var url: String
    public var keyID: String
    public var secret: String
    /// Records per request.
    public var batchSize: Int
    /// The longest wait between tries while the platform is down (ms): short enough that records
    /// still reach it within 5 s of its coming back, long enough to cost a down platform nothing.
    public var maxBackoff: Int64
    /// How often road segments' occupied and free counts are checked, and sent where they changed (ms).
    public var occupancyInterval: Int64

    public init(url: String, keyID: String, secret: String, batchSize: Int = 200, maxBackoff: Int64 = 4_000, occupancyInterval: Int64 = 5_000) {
        self.url = url
        self.keyID = keyID
        self.secret = secret
        self.batchSize = batchSize
        self.maxBackoff = maxBackoff
        self.occupancyInterval = occupancyInterval
    }

    /// `CURBSIDE_CITY_FEED_URL`, `CURBSIDE_CITY_FEED_KEY_ID`, `CURBSIDE_CITY_FEED_SECRET` (16 bytes or more);
    /// nil when no URL is set, and the feed's records wait in the outbox.
    init?(reading curbside: SettingsReader) throws {
        let feed = curbside.scoped(to: "cityFeed")
        guard let url = feed.text("url") else { return nil }
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), URL(string: url)?.host != nil else {
            throw feed.refusal("url", "expected an http(s) URL", text: url)
        }
        guard let secret = feed.text("secret", isSecret: true), secret.utf8.count >= 16 else {
            throw ConfigurationError(
                variable: feed.variable("secret"),
                reason: "the city platform's shared secret (at least 16 bytes) is needed with \(feed.variable("url"))"
            )
        }
        self.init(url: url, keyID: feed.text("keyID") ?? "curbside", secret: secret)
    }
}
