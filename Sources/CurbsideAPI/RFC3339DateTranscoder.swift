import CurbsideCore
import Foundation
import OpenAPIRuntime

/// Reads RFC 3339 instants with or without fractional seconds and with any
/// real offset; writes UTC, with milliseconds only when there are any.
public struct RFC3339DateTranscoder: DateTranscoder {
    public init() {}

    public func encode(_ date: Date) throws -> String {
        let wholeSeconds = date.timeIntervalSince1970.rounded(.down)
        if date.timeIntervalSince1970 - wholeSeconds < 0.0005 {
            return Date(timeIntervalSince1970: wholeSeconds).formatted(.iso8601)
        }
        return date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    /// Strictly RFC 3339 (`RFC3339`): an impossible date, time or offset is refused, not rolled over.
    public func decode(_ text: String) throws -> Date {
        do {
            let (seconds, nanoseconds) = try RFC3339.parse(text)
            return Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "'\(text)' \(error.description)"))
        }
    }
}
