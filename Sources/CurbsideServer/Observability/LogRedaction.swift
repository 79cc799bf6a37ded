import Foundation
import Logging

/// Takes secrets out of log lines: bearer tokens and JWTs, payment-link
/// tokens, header values and metadata named for a secret (authorization,
/// password, code, key, signature, secret, token), and SQL bind values (they
/// carry tokens and hashes). Every handler Curbside installs passes through it,
/// so a secret that reaches a message or an error description by accident
/// still does not reach the log.
public enum LogRedaction {
    static let mask = "[redacted]"

    /// Metadata keys whose values are never logged.
    static let secretKeys = ["authorization", "password", "passcode", "code", "secret", "signature", "token", "key", "binds", "cookie"]

    /// Cheap checks first: most lines hold none of these and skip the expressions.
    private static let triggers = ["earer", "eyJ", "/p/", "uthorization", "ignature", "assword", "ecret", "oken", "key", "Key", "ookie"]

    private static let rules: [(NSRegularExpression, String)] = [
        (#"(?i)\bbearer\s+[^\s"',;\]\)]+"#, "Bearer \(mask)"),
        (#"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.?[A-Za-z0-9_-]*"#, mask),
        (#"/p/[A-Za-z0-9_-]+"#, "/p/\(mask)"),
        (
            #"(?i)((?:authorization|[a-z-]*signature|password|passcode|secret|api[-_]?v?3?[-_]?key|private[-_]?key|token|cookie)["']?\s*[:=]\s*["']?)[^\s"',;\]\)]+"#,
            "$1\(mask)"
        ),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    /// The text with every secret it visibly carries replaced.
    public static func redact(_ text: String) -> String {
        guard triggers.contains(where: text.contains) else { return text }
        var result = text
        for (expression, template) in rules {
            let range = NSRange(result.startIndex..., in: result)
            result = expression.stringByReplacingMatches(in: result, range: range, withTemplate: template)
        }
        return result
    }

    static func isSecretKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return secretKeys.contains { lowered == $0 || lowered.hasSuffix("_" + $0) || lowered.hasSuffix("-" + $0) || lowered.hasPrefix($0 + "_") }
    }

    public static func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        var clean: Logger.Metadata = [:]
        for (key, value) in metadata {
            clean[key] = isSecretKey(key) ? .string(mask) : redact(value)
        }
        return clean
    }

    static func redact(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case let .string(text): .string(redact(text))
        case let .stringConvertible(convertible): .string(redact(convertible.description))
        case let .array(values): .array(values.map(redact))
        case let .dictionary(values): .dictionary(redact(values))
        }
    }
}

/// Any log handler, with `LogRedaction` applied to every message and its metadata.
public struct RedactingLogHandler: LogHandler {
    private var base: any LogHandler

    public init(_ base: any LogHandler) {
        self.base = base
    }

    public var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: LogRedaction.redact(event.message.description))
        event.metadata = event.metadata.map(LogRedaction.redact)
        event.error = event.error.map { RedactedError(description: LogRedaction.redact(String(describing: $0))) }
        var handler = base
        // Metadata set on the logger itself and from the provider are cleaned too.
        handler.metadata = LogRedaction.redact(base.metadata)
        if let provider = base.metadataProvider {
            handler.metadataProvider = Logger.MetadataProvider { LogRedaction.redact(provider.get()) }
        }
        handler.log(event: event)
    }
}

/// An error as a log line may show it: its description, redacted.
struct RedactedError: Error, CustomStringConvertible {
    var description: String
}
