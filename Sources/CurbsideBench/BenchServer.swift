import AsyncHTTPClient
import CurbsideAPI
import CurbsideCore
import CurbsideServer
import Foundation
import NIOCore
import OpenAPIAsyncHTTPClient

/// A `curbside serve` child process for benchmarks, on the sample district,
/// with a signing key of its own; `token` asks `curbside token` for tokens,
/// which makes the accounts behind them in the server's database.
struct BenchServer {
    let process: Process
    let base: String
    /// The server's environment, which `curbside token` needs too.
    let environment: [String: String]

    /// A server started past its daily retention hour runs retention at once, beside whatever is being measured; the
    /// benchmarks time retention themselves, so the hour is set an hour or two ahead (none is, from 23:00 local).
    static func retentionHourAhead() -> [String: String] {
        let local = CitySettings.defaultTimeZone.local(Int64(Date().timeIntervalSince1970)) % 86_400
        let hour = Int(local / 3_600) + (local % 3_600 < 1_800 ? 1 : 2)
        guard hour <= 23 else {
            print("note: past 23:00 in the city; the server's daily retention may run beside the measurements")
            return [:]
        }
        return ["CURBSIDE_RETENTION_HOUR": String(hour)]
    }

    /// Starts the server with `environment` (where its data lives, and what else the benchmark sets) and waits until it is ready.
    static func launch(port: Int, dataDirectory: String, environment: [String: String]) async throws -> BenchServer {
        let secret = "bench-" + UUID().uuidString
        let process = Process()
        process.executableURL = try curbside()
        process.arguments = ["serve", "--hostname", "127.0.0.1", "--port", String(port)]
        let serverEnvironment = ProcessInfo.processInfo.environment.merging([
            "CURBSIDE_DATA_DIR": dataDirectory, "CURBSIDE_JWT_SECRET": secret, "CURBSIDE_LOG_LEVEL": "error", "CURBSIDE_ZONES_DIR": "Zones",
        ]) { $1 }.merging(retentionHourAhead()) { $1 }.merging(environment) { $1 }
        process.environment = serverEnvironment
        try process.run()
        let server = BenchServer(process: process, base: "http://127.0.0.1:\(port)", environment: serverEnvironment)
        do {
            try await waitUntilReady(server.base)
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// The `curbside` executable built beside this one (`swift build` builds both).
    static func curbside() throws -> URL {
        let url = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("curbside")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw BenchFailure(description: "no curbside executable at \(url.path): build both with `swift build -c release`")
        }
        return url
    }

    /// The contract's client for this server, signed with `token` if one is given.
    func api(_ token: String? = nil) -> Client {
        Client(curbside: URL(string: base)!, transport: AsyncHTTPClientTransport(), token: token)
    }

    func token(_ role: Role, _ subject: String) async throws -> String {
        let command = Process()
        command.executableURL = process.executableURL
        command.arguments = ["token", "--role", role.rawValue, "--subject", subject, "--hours", "1"]
        command.environment = environment
        let output = Pipe()
        command.standardOutput = output
        try command.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        command.waitUntilExit()
        guard command.terminationStatus == 0, let token = String(decoding: printed, as: UTF8.self).split(separator: "\n").last else {
            throw BenchFailure(description: "curbside token failed for \(role.rawValue) \(subject)")
        }
        return String(token)
    }

    /// Sends device events (JSON objects) as the gateway does, 1,000 to a batch, and waits until they are all folded.
    func send(events: ArraySlice<String>, token: String) async throws {
        for start in stride(from: events.startIndex, to: events.endIndex, by: 1000) {
            var request = HTTPClientRequest(url: base + "/v1/gateway/events")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: "{\"events\":[" + events[start..<min(start + 1000, events.endIndex)].joined(separator: ",") + "]}"))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok, !String(buffer: body).contains("\"rejected\":[{") else {
                throw BenchFailure(description: "POST /v1/gateway/events: HTTP \(response.status.code) \(String(buffer: body).prefix(300))")
            }
        }
        try await Self.waitUntilCaughtUp(base)
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
            let readiness = try await Client(curbside: URL(string: base)!, transport: AsyncHTTPClientTransport()).getReadiness()
            if try readiness.ok.body.json.queuedBatches == 0 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchFailure(description: "the server at \(base) still had queued work after 10 minutes")
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
