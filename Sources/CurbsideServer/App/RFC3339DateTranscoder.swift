import Foundation
import OpenAPIRuntime

/// Reads RFC 3339 instants with or without fractional seconds and with any
/// offset; writes UTC, with milliseconds only when there are any.
struct RFC3339DateTranscoder: DateTranscoder {
    func encode(_ date: Date) throws -> String {
        let wholeSeconds = date.timeIntervalSince1970.rounded(.down)
        if date.timeIntervalSince1970 - wholeSeconds < 0.0005 {
            return Date(timeIntervalSince1970: wholeSeconds).formatted(.iso8601)
        }
        return date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    func decode(_ text: String) throws -> Date {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) { return date }
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "'\(text)' is not an RFC 3339 date-time such as 2026-11-21T08:30:00+08:00"))
    }
}
