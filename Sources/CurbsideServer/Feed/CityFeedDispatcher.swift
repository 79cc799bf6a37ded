import AsyncHTTPClient
import Crypto
import CurbsideStore
import Foundation
import NIOCore
import NIOHTTP1

/// Sends the feed outbox to the city platform: one signed batch at a time,
/// oldest first. A batch the platform does not take with a 2xx is tried again,
/// whole and first, after 1, 2, 4 ... seconds up to the configured ceiling, so
/// records arrive in order and, as each carries its outbox id, once for a
/// platform that keeps the ids it has.
struct CityFeedDispatcher: Sendable {
    let outbox: FeedOutbox
    let settings: CityFeedSettings
    let client: HTTPClient

    /// How long a claimed batch is left to this instance before another may try it.
    static let lease: Int64 = 30_000

    enum Outcome: Equatable {
        case idle
        case sent(Int)
        case failed(String)
    }

    func runOnce(now: Int64) async throws -> Outcome {
        let batch = try await outbox.claim(now: now, limit: settings.batchSize, lease: Self.lease)
        guard let head = batch.first else { return .idle }
        let body = Data(("{\"records\":[" + batch.map { "{\"id\":\($0.id),\"record\":\($0.payload)}" }.joined(separator: ",") + "]}").utf8)
        do {
            let response = try await client.execute(request(body, at: now), timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
            guard (200..<300).contains(response.status.code) else { throw FeedRefused(status: response.status) }
            try await outbox.markSent(batch.map(\.id), now: now)
            return .sent(batch.count)
        } catch {
            let backoff = min(settings.maxBackoff, 1_000 << min(head.attempts, 20))
            let reason = String(describing: error)
            try await outbox.markFailed(head.id, error: reason, next: now + backoff)
            return .failed(reason)
        }
    }

    /// Signed as `HMAC-SHA256(secret, timestamp + "." + body)`, hex, with the key id and the timestamp in headers.
    func request(_ body: Data, at now: Int64) -> HTTPClientRequest {
        let timestamp = String(now / 1000)
        let mac = HMAC<SHA256>.authenticationCode(for: Array((timestamp + ".").utf8) + Array(body), using: SymmetricKey(data: Data(settings.secret.utf8)))
        var request = HTTPClientRequest(url: settings.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Curbside-Key", value: settings.keyID)
        request.headers.add(name: "X-Curbside-Timestamp", value: timestamp)
        request.headers.add(name: "X-Curbside-Signature", value: mac.map { String(format: "%02x", $0) }.joined())
        request.body = .bytes(ByteBuffer(data: body))
        return request
    }
}

struct FeedRefused: Error, CustomStringConvertible {
    var status: HTTPResponseStatus
    var description: String { "the platform answered \(status.code) \(status.reasonPhrase)" }
}

/// One round of the city feed at a given time, for tests and tools: how many
/// records went, or why the platform refused them.
public struct CityFeedSender: Sendable {
    let dispatcher: CityFeedDispatcher

    /// The records sent, or nil when the platform did not take the batch; 0 when nothing was due.
    public func runOnce(now: Int64) async throws -> Int? {
        switch try await dispatcher.runOnce(now: now) {
        case .idle: 0
        case let .sent(count): count
        case .failed: nil
        }
    }
}
