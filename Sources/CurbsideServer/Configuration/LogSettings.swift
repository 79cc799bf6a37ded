import Logging

/// What the log says, and how it is written.
public struct LogSettings: Sendable {
    public enum Format: String, Sendable, SettingValue {
        /// One JSON object per line.
        case json
        case text

        static let expectation = "json or text"
        init?(setting: String) { self.init(rawValue: setting.lowercased()) }
    }

    public var level: Logger.Level
    public var format: Format

    public init(level: Logger.Level = .info, format: Format = .json) {
        self.level = level
        self.format = format
    }

    /// `CURBSIDE_LOG_LEVEL`, `CURBSIDE_LOG_FORMAT`.
    init(reading curbside: SettingsReader) throws {
        let log = curbside.scoped(to: "log")
        self.init()
        level = try log.value("level", as: LogLevel.self)?.level ?? level
        format = try log.value("format", as: Format.self) ?? format
    }
}

/// swift-log's levels by name.
private struct LogLevel: SettingValue {
    static let expectation = "trace, debug, info, notice, warning, error or critical"
    var level: Logger.Level

    init?(setting: String) {
        guard let level = Logger.Level(rawValue: setting.lowercased()) else { return nil }
        self.level = level
    }
}
