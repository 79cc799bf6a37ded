import AsyncHTTPClient
import Crypto
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// `curbside serve` at its most talkative (trace, SQL included) is sent
/// every kind of secret and made to fail with a 500; its log holds none of
/// them: not the bearer token, the password, the sign-in code, a payment
/// link's token, nor a signature.
@Suite("No secrets in the log", .ownThread)
struct LogSecretsTests {
    @Test("Tokens, passwords, codes, payment tokens and signatures never reach the log, a 500 included", arguments: StoreKind.testCases)
    func redacted(kind: StoreKind) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-log-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Evidence kept under a path that is a file: storing an image fails, and the request with it (500).
        let blocked = directory + "/not-a-folder"
        #expect(FileManager.default.createFile(atPath: blocked, contents: Data("x".utf8)))
        var environment = [
            "CURBSIDE_DATA_DIR": directory, "CURBSIDE_ZONES_DIR": RepositoryPaths.zones, "CURBSIDE_TARIFFS_DIR": RepositoryPaths.tariffs,
            "CURBSIDE_LOG_LEVEL": "trace", "CURBSIDE_LOG_FORMAT": "json", "CURBSIDE_EVIDENCE_DIR": blocked,
        ]
        if kind == .postgres { environment["DATABASE_URL"] = try await TestPostgres.shared.createDatabase() }
        let server = try ChildProcess(ChildProcess.curbside, ["serve", "--port", "0"], environment: environment)
        defer { server.signal(SIGTERM) }
        // At trace level every statement of the first start's migrations and seeding is logged: on PostgreSQL,
        // beside the rest of the suite, that alone took a minute once; the test is about what is logged, not speed.
        let port = try await server.listeningPort(within: 300)
        try await LocalHTTP(port: port).waitUntilReady()
        let token = try await ChildProcess.token("gateway", "gw-log", environment: environment)

        func send(_ method: HTTPMethod, _ path: String, body: [UInt8] = [], headers: [(String, String)] = []) async throws -> Int {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
            request.method = method
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }
            let response = try await HTTPClient.shared.execute(request, timeout: Loopback.deadline)
            _ = try await response.body.collect(upTo: 1 << 20)
            return Int(response.status.code)
        }
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("curbside log test".utf8)
        let digest = SHA256.hash(data: png).map { String(format: "%02x", $0) }.joined()
        let failed = try await send(.PUT, "/v1/gateway/images/\(digest)", body: png, headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "image/png")])
        #expect(failed == 500)
        let password = "correct-horse-battery-staple-42"
        #expect(try await send(.POST, "/v1/staff/sign-in", body: Array(#"{"staff_id":"nobody","password":"\#(password)"}"#.utf8), headers: [("Content-Type", "application/json")]) == 401)
        #expect(try await send(.POST, "/v1/citizen/sign-in/code", body: Array(#"{"phone":"13800138000"}"#.utf8), headers: [("Content-Type", "application/json")]) == 202)
        let payToken = "SECRETPAYTKN"
        #expect(try await send(.GET, "/p/\(payToken)") == 404)
        let signature = String(repeating: "5eca", count: 16)
        #expect(try await send(.POST, "/v1/gateway/events", body: Array(#"{"events":[]}"#.utf8), headers: [
            ("Content-Type", "application/json"), ("X-Curbside-Gateway", "gw-log"), ("X-Curbside-Timestamp", String(Int(Date().timeIntervalSince1970))),
            ("X-Curbside-Signature", signature),
        ]) == 401)
        #expect(try await send(.GET, "/v1/admin/zones", headers: [("Authorization", "Bearer \(token)")]) == 403)

        // The server writes its log as it goes: wait for the lines asked for, then a moment for any after them.
        _ = try await Loopback.eventually(every: .milliseconds(250)) {
            let log = server.output
            return log.contains("uploadEvidenceImage") && log.contains("验证码 [redacted]") && log.contains("Executing query")
        }
        try await Task.sleep(for: .milliseconds(500))
        let log = server.output
        #expect(log.contains("request failed") && log.contains("uploadEvidenceImage"), "the 500 was not logged:\n\(log.suffix(2000))")
        #expect(log.contains("notice delivered") && log.contains("验证码 [redacted]"))
        #expect(log.contains("Executing query"), "SQL was not logged at trace")
        let parts = token.split(separator: ".").map(String.init)
        for secret in [token, parts[1], parts[2], password, payToken, signature] {
            #expect(!log.contains(secret), "the log holds a secret: \(secret.prefix(12))...")
        }
        // Nor any six-digit code next to the word for it.
        #expect(log.firstMatch(of: /验证码 \d{6}/) == nil)
    }
}
