/// Where notices are delivered (`CURBSIDE_NOTICES`).
public enum NoticeDelivery: Sendable, Equatable, SettingValue {
    /// Written to the log (the default; for development).
    case log
    /// Each notice as a text file and its QR code as a PNG, in a directory.
    case directory(String)
    /// By SMS through Alibaba Cloud SMS (`SMSSettings`); notices to plates go to the log.
    case aliyun
    /// By SMS through Tencent Cloud SMS (`SMSSettings`); notices to plates go to the log.
    case tencent

    static let expectation = "log, dir:PATH, aliyun or tencent"

    init?(setting: String) {
        switch setting {
        case "log": self = .log
        case "aliyun": self = .aliyun
        case "tencent": self = .tencent
        case _ where setting.hasPrefix("dir:") && setting.count > 4: self = .directory(String(setting.dropFirst(4)))
        default: return nil
        }
    }

    /// Messages go to phones, so the quiet hours apply unless set otherwise.
    var isSMS: Bool { self == .aliyun || self == .tencent }
}
