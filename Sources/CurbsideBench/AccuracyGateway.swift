import AsyncHTTPClient
import CurbsideAPI
import CurbsideCore
import CurbsideSimulation
import Foundation
import NIOCore

/// Plays the gateways: sends the events in batches in the order received, and
/// re-sends under a new id (the boot count appended) any event refused as a reused id.
/// The batches go as the gateways write them, faults included (event types
/// the contract does not know), so not through the typed client; the answer
/// is the contract's.
struct AccuracyGateway {
    let base: String
    let token: String
    let clock: ZoneClock

    func send(_ events: [GatewayEvent], batch: Int) async throws -> (refused: Int, resent: Int) {
        var refused = 0, resent = 0
        var queue = stride(from: 0, to: events.count, by: batch).map { Array(events[$0..<min($0 + batch, events.count)]) }
        while !queue.isEmpty {
            let chunk = queue.removeFirst()
            let body = "{\"events\":[" + chunk.map { $0.json(in: clock) }.joined(separator: ",") + "]}"
            var request = HTTPClientRequest(url: base + "/v1/gateway/events")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
            let data = try await response.body.collect(upTo: 1 << 22)
            guard response.status == .ok else { throw BenchFailure(description: "HTTP \(response.status.code) \(String(buffer: data).prefix(300))") }
            let refusals = try JSONDecoder().decode(Components.Schemas.EventBatchResult.self, from: Data(data.readableBytesView)).rejected
            refused += refusals.count
            let again = refusals.filter { $0.code == "event_id_conflict" }.compactMap { refusal -> GatewayEvent? in
                guard let index = refusal.index, chunk.indices.contains(index) else { return nil }
                var event = chunk[index]
                event.eventID += "-b1"
                return event
            }
            resent += again.count
            if !again.isEmpty { queue.insert(again, at: 0) }
        }
        return (refused, resent)
    }
}
