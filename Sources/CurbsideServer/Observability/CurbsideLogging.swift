import Logging

/// The log handlers every command installs: JSON lines or text on standard
/// error, both through `RedactingLogHandler`, so no format can leak a secret.
public enum CurbsideLogging {
    public static func bootstrap(format: LogSettings.Format, level: Logger.Level) {
        LoggingSystem.bootstrap { label in handler(label: label, format: format, level: level) }
    }

    public static func handler(label: String, format: LogSettings.Format, level: Logger.Level) -> any LogHandler {
        switch format {
        case .json:
            return RedactingLogHandler(JSONLogHandler(label: label, level: level))
        case .text:
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return RedactingLogHandler(handler)
        }
    }
}
