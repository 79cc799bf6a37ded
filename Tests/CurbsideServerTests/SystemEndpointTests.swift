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

    @Test("With every database connection held past the pool's wait, a request gets 503 database_busy and Retry-After; once they are free it is answered", arguments: StoreKind.testCases)
    func databaseBusy(kind: StoreKind) async throws {
        try await withTestApp(kind, content: .empty, configure: {
            $0.backgroundJobs = false
            $0.store.poolSize = 1
            $0.store.poolTimeoutSeconds = 1
        }) { app in
            let token = try await app.token(.operator)
            // One connection per event loop (each loop has its own pool), each held until released.
            let holders = ConnectionHolders()
            let loops = Array(app.app.eventLoopGroup.makeIterator())
            let held = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for loop in loops {
                        let database = app.app.databases.database(logger: app.app.logger, on: loop)!
                        group.addTask {
                            try await database.withConnection { _ in
                                await holders.hold()
                                while await !holders.released { try await Task.sleep(for: .milliseconds(20)) }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            #expect(try await Loopback.eventually { await holders.count == loops.count })
            let busy = try await app.request(.GET, "/v1/admin/zones", token: token)
            #expect(busy.status == 503 && busy.errorCode == "database_busy", "\(busy.status) \(busy.text)")
            #expect(busy.headers.first(name: "Retry-After") == "1")
            await holders.release()
            try await held.value
            #expect(try await app.request(.GET, "/v1/admin/zones", token: token).status == 200)
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

/// Counts the connections a test holds, and lets them go.
private actor ConnectionHolders {
    private(set) var count = 0
    private(set) var released = false
    func hold() { count += 1 }
    func release() { released = true }
}
