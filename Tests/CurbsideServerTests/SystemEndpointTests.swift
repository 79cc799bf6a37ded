import CurbsideAPI
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

@Suite("System endpoints", .ownThread)
struct SystemEndpointTests {
    @Test("Liveness, readiness with the database it checked, and the OpenAPI document", arguments: StoreKind.testCases)
    func healthAndReadiness(kind: StoreKind) async throws {
        try await withTestApp(kind, content: .empty) { app in
            let health = try await app.get("/healthz")
            #expect(health.status == 200)
            #expect(health.json["status"] as? String == "ok")
            let ready = try await app.get("/readyz")
            #expect(ready.status == 200)
            #expect(ready.json["status"] as? String == "ready")
            #expect(ready.json["database"] as? String == kind.rawValue)
            let document = try await app.get("/openapi.yaml")
            #expect(document.status == 200)
            #expect(document.headers.first(name: "Content-Type")?.hasPrefix("application/yaml") == true)
            #expect(document.text == Contract.document)
        }
    }

    @Test("Readiness fails with 503 when the database is gone", arguments: StoreKind.testCases.filter { $0 == .postgres })
    func notReady(kind: StoreKind) async throws {
        // No background jobs: a round caught by the drop would only slow the shutdown.
        try await withTestApp(kind, content: .empty, configure: { $0.backgroundJobs = false }) { app in
            guard case let .postgres(url) = app.configuration.store.location else { return }
            try await TestPostgres.shared.dropDatabase(url: url)
            let ready = try await app.get("/readyz")
            #expect(ready.status == 503)
            #expect(ready.json["status"] as? String == "unavailable")
        }
    }

    @Test("Metrics are in the Prometheus text format and count requests")
    func metrics() async throws {
        try await withTestApp(.sqlite, content: .empty) { app in
            _ = try await app.get("/healthz")
            let metrics = try await app.get("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains("# TYPE http_requests_total counter"))
            #expect(metrics.text.contains("path=\"/healthz\""))
        }
    }

    @Test("An unknown path gets the JSON error body, not an HTML page")
    func unknownRoute() async throws {
        try await withTestApp(.sqlite, content: .empty) { app in
            let response = try await app.get("/v1/nothing-here")
            #expect(response.status == 404)
            #expect(response.errorCode == "route_not_found")
        }
    }
}
