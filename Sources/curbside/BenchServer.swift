import AsyncHTTPClient
import Foundation
import NIOCore

/// A `curbside serve` child process for benchmarks.
struct BenchServer {
    let process: Process

    static func start(port: Int, environment: [String: String]) throws -> BenchServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["serve", "--hostname", "127.0.0.1", "--port", String(port)]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        try process.run()
        return BenchServer(process: process)
    }

    static func waitUntilReady(_ base: String) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/readyz"), timeout: .seconds(2)), response.status == .ok {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw BenchFailure(description: "the server at \(base) did not become ready within 2 minutes")
    }

    /// Waits until the server's background rounds have done every stored batch's work.
    static func waitUntilCaughtUp(_ base: String) async throws {
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/readyz"), timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 16)
            struct Readiness: Decodable { var queued_batches: Int? }
            if try JSONDecoder().decode(Readiness.self, from: Data(body.readableBytesView)).queued_batches == 0 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchFailure(description: "the server at \(base) still had queued work after 10 minutes")
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
