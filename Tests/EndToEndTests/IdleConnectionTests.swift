import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// Half-open and idle connections against `curbside serve` itself: closed
/// after CURBSIDE_IDLE_TIMEOUT_SECONDS, whether they sent nothing, stopped
/// half-way through their headers, or were kept alive after an answer.
@Suite("Idle connections", .ownThread)
struct IdleConnectionTests {
    @Test("Silent, half-sent and kept-alive connections are closed after the idle timeout", arguments: StoreKind.testCases)
    func idle(kind: StoreKind) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-idle-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var environment = [
            "CURBSIDE_DATA_DIR": directory, "CURBSIDE_ZONES_DIR": RepositoryPaths.zones, "CURBSIDE_TARIFFS_DIR": RepositoryPaths.tariffs,
            "CURBSIDE_LOG_LEVEL": "notice", "CURBSIDE_IDLE_TIMEOUT_SECONDS": "1",
        ]
        if kind == .postgres { environment["DATABASE_URL"] = try await TestPostgres.shared.createDatabase() }
        let server = try ChildProcess(ChildProcess.curbside, ["serve", "--port", "0"], environment: environment)
        defer { server.signal(SIGTERM) }
        let port = try await server.listeningPort()
        try await LocalHTTP(port: port).waitUntilReady()
        let raw = RawHTTP(port: port)
        for request in ["", "GET /healthz HTTP/1.1\r\nHost: cur", "GET /healthz HTTP/1.1\r\nHost: curbside\r\n\r\n"] {
            // Closed by the server after its timeout, not at once; how much later depends on how busy the machine is.
            let answer = await raw.exchange(request, timeout: Double(Loopback.deadlineMilliseconds) / 1_000)
            #expect(answer.closedByServer && answer.seconds >= 0.9, "\(request.debugDescription): held \(answer.seconds) s")
            #expect(request.hasSuffix("\r\n\r\n") ? answer.status == 200 : answer.bytes.isEmpty)
        }
    }
}
