import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

extension TestApp {
    /// Posts events as a gateway, in one batch.
    @discardableResult
    public func ingest(_ events: [[String: any Sendable]], gateway: String = "gw-test") async throws -> TestResponse {
        let token = try await token(.gateway, subject: gateway)
        return try await request(.POST, "/v1/gateway/events", json: ["events": events], token: token)
    }

    /// Runs background rounds until no batch's work is queued (for apps started without background jobs).
    public func fuse() async throws {
        let processor = FusionProcessor(store: store, database: database, rules: configuration.ingest.fusion)
        while try await processor.runOnce(now: Int64(clock.now.timeIntervalSince1970 * 1000)).batches > 0 {}
    }

    /// The sessions of a bay, as the fixtures write them.
    public func sessions(bay: String) async throws -> [FusionScenario.Session] {
        let page = try await client(as: .auditor).listSessions(query: .init(bay: bay, limit: 1000)).ok.body.json
        return page.items.filter { $0.status != .void }.map(FusionScenario.session)
    }
}
