import CurbsideCore
import Foundation

/// How the channels' APIs write times and path segments.
enum ChannelText {
    static let utc = ZoneClock(identifier: "UTC")!

    /// `yyyy-MM-ddTHH:mm:ss+00:00`, the form WeChat Pay's and the acquirer's time fields take.
    static func rfc3339(_ date: Date) -> String {
        LocalDateTime.format(date.seconds, in: utc)
    }

    /// A path segment: our ids are letters, digits, `-`, `_` and `.`; anything else is escaped.
    static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? text
    }
}
