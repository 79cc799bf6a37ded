import AsyncHTTPClient
import Foundation
import NIOCore

/// What the SMS simulators share for delivery reports: the messages not yet
/// reported, the phones that will not receive theirs, and the push of one
/// JSON array of reports to the URL set in the provider's console.
final class SMSReportPush: @unchecked Sendable {
    /// Where reports are pushed; nil keeps them.
    @Locked var url: String?
    /// Phones whose reports say the message did not arrive.
    @Locked var undeliverable: Set<String> = []
    private let lock = NSLock()
    private var waiting: [SentSMS] = []

    func sent(_ message: SentSMS) {
        lock.withLock { waiting.append(message) }
    }

    /// Pushes a report for every message sent since the last push, each written by `report` (delivered or not);
    /// answers the HTTP status and body of the answer, or nil when there was nothing to push.
    func push(_ report: (SentSMS, Bool) -> [String: Any]) async throws -> (status: UInt, body: String)? {
        guard let url else { throw SimulatedSMSError.noReportURL }
        let batch = lock.withLock { () -> [SentSMS] in
            defer { waiting.removeAll() }
            return waiting
        }
        guard !batch.isEmpty else { return nil }
        let failing = undeliverable
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: batch.map { report($0, !failing.contains($0.phone)) }, options: [.sortedKeys])))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 16)
        return (response.status.code, String(buffer: body))
    }

    /// `yyyy-MM-dd HH:mm:ss` in China, as both providers write report times.
    static func chinaTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}

public enum SimulatedSMSError: Error, CustomStringConvertible {
    case noReportURL

    public var description: String { "no URL to push delivery reports to" }
}
