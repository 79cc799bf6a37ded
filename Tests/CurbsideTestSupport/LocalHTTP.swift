import AsyncHTTPClient
import Foundation
import NIOCore

/// Requests to a server running in another process on this machine.
public struct LocalHTTP: Sendable {
    public let port: Int

    public init(port: Int) {
        self.port = port
    }

    public func get(_ path: String, token: String? = nil) async throws -> TestResponse {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await HTTPClient.shared.execute(request, timeout: Loopback.deadline)
        let body = try await response.body.collect(upTo: 64 << 20)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: Data(buffer: body))
    }

    public func post(_ path: String, json: Any, token: String? = nil) async throws -> TestResponse {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: json)))
        let response = try await HTTPClient.shared.execute(request, timeout: Loopback.deadline)
        let body = try await response.body.collect(upTo: 64 << 20)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: Data(buffer: body))
    }

    /// Polls /readyz until the server answers 200, for up to `seconds`.
    public func waitUntilReady(seconds: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let response = try? await get("/readyz"), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestPostgresError("the server on port \(port) did not become ready within \(seconds) s")
    }
}
