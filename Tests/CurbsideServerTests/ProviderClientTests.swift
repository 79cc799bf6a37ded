import AsyncHTTPClient
@testable import CurbsideServer
import CurbsideStoreTestSupport
import CurbsideTestThreads
import Testing

/// The client for outside providers gives up on a refused connection at once.
@Suite("Calls to outside providers", .ownThread)
struct ProviderClientTests {
    @Test("A provider that refuses the connection fails the call with the refusal, not at the call's deadline")
    func refusedAtOnce() async throws {
        let port = try ThrowawayCluster.freePort()
        let timeout = Duration.seconds(60)
        let started = ContinuousClock.now
        let error = await #expect(throws: (any Error).self) {
            _ = try await HTTPClient.providers.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/v3/refund/domestic/refunds"), timeout: .seconds(60))
        }
        #expect(String(describing: error).contains("Connection refused"), "\(String(describing: error))")
        // Both fail with the same refusal; a client that connects again and again is stopped only by the deadline.
        #expect(ContinuousClock.now - started < timeout)
    }
}
