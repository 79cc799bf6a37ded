import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// Identity before resources, sent as raw HTTP: a request is answered from
/// its head and the first bytes of its body (401, 413), without the server
/// waiting for the rest of a body it will not take. (The server hands a
/// request on once its first body bytes arrive: a head alone is closed by
/// the idle timeout, tested in IdleConnectionTests.)
@Suite("Connections and bodies at the edge", .ownThread)
struct ConnectionLimitsTests {
    /// A head announcing `length` bytes of body, and the first kilobyte of them only.
    static func head(_ method: String, _ path: String, length: Int, headers: [String] = []) -> String {
        (["\(method) \(path) HTTP/1.1", "Host: curbside", "Connection: close", "Content-Type: application/json", "Content-Length: \(length)"] + headers).joined(separator: "\r\n")
            + "\r\n\r\n" + "[" + String(repeating: "0,", count: 511)
    }

    @Test("A body is not waited for before the caller is known, nor past the operation's limit", arguments: StoreKind.testCases)
    func identityBeforeBody(kind: StoreKind) async throws {
        try await withTestApp(kind, content: .empty, clock: TestClock(FusionScenario.clockTime), configure: { $0.channels = BillingFlowTests.channels.settings }) { app in
            let raw = RawHTTP(baseURL: app.baseURL)
            let timestamp = String(Int(FusionScenario.clockTime.timeIntervalSince1970))
            let signed = ["X-Curbside-Gateway: gw-nobody", "X-Curbside-Timestamp: \(timestamp)", "X-Curbside-Signature: 00"]
            let cases: [(String, Int, String)] = [
                // Signature headers on an operation that takes none: refused before the body.
                (Self.head("POST", "/v1/admin/zones", length: 900 << 10, headers: signed), 401, "signature_not_accepted"),
                // An unknown gateway, a large batch announced: refused before the body.
                (Self.head("POST", "/v1/gateway/events", length: 10 << 20, headers: signed), 401, "signature_invalid"),
                // No token for an operation that needs one.
                (Self.head("POST", "/v1/admin/zones", length: 900 << 10), 401, "unauthenticated"),
                // A body over the operation's limit, announced: refused at once.
                (Self.head("POST", "/v1/pay/payments", length: 2 << 20), 413, "body_too_large"),
                (Self.head("POST", "/v1/channels/wechat/notify", length: 65 << 10), 413, "body_too_large"),
            ]
            for (request, status, code) in cases {
                let answer = await raw.exchange(request, timeout: 5)
                #expect(answer.status == status && answer.text.contains("\"code\":\"\(code)\""), "\(request.prefix(40)): \(answer.text.prefix(300))")
            }
            // A body streamed past a notification's 64 KiB: 413, never 500.
            let chunked = ["POST /v1/channels/acquirer/etc/notify HTTP/1.1", "Host: curbside", "Connection: close", "Transfer-Encoding: chunked",
                           "X-Acquirer-Timestamp: \(timestamp)", "X-Acquirer-Signature: 00"].joined(separator: "\r\n") + "\r\n\r\n"
            let chunk = String(repeating: "a", count: 16 << 10)
            let body = String(repeating: String(16 << 10, radix: 16) + "\r\n" + chunk + "\r\n", count: 6) + "0\r\n\r\n"
            let streamed = await raw.exchange(chunked + body, timeout: 5)
            #expect(streamed.status == 413 && streamed.text.contains("body_too_large"), "\(streamed.text.prefix(300))")
        }
    }
}
