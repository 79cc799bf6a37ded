/// Where notices are delivered. SMS and app-push providers plug in as further adapters.
public enum NoticeDelivery: Sendable, Equatable, SettingValue {
    /// Written to the log (the default; for development and the demo).
    case log
    /// Each notice as a text file and its QR code as a PNG, in a directory.
    case directory(String)

    static let expectation = "log or dir:PATH"

    /// `CURBSIDE_NOTICES`.
    init?(setting: String) {
        if setting == "log" {
            self = .log
        } else if setting.hasPrefix("dir:"), setting.count > 4 {
            self = .directory(String(setting.dropFirst(4)))
        } else {
            return nil
        }
    }
}
