import AsyncHTTPClient
import Crypto
import CurbsideCore
import Foundation
import NIOCore
import NIOHTTP1

/// One JSON call by the shared-secret protocol of the acquirer and the
/// invoicing platform (docs/acquirer.md, docs/invoicing-platform.md): the
/// request signed as HMAC-SHA256 of "timestamp.METHOD path.body" in
/// `{prefix}-Timestamp` and `{prefix}-Signature`, a 2xx answer believed only
/// once its signature of "timestamp.body" verifies and is fresh.
struct SignedExchange: Sendable {
    enum Failure: Error {
        case unreachable(String)
        /// A refusal, read from its `{"code", "message"}` (refusals need not be signed).
        case refused(status: Int, code: String, message: String)
        case unverified
    }

    let baseURL: String
    let secret: SymmetricKey
    /// `X-Acquirer`, `X-Invoicing`.
    let prefix: String
    let http: HTTPClient
    let timeout: TimeAmount
    let clock: @Sendable () -> Date

    func send(_ method: String, _ path: String, body: [UInt8]?, limit: Int) async throws(Failure) -> [UInt8] {
        let timestamp = String(clock().seconds)
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "\(prefix)-Timestamp", value: timestamp)
        request.headers.add(name: "\(prefix)-Signature", value: AcquirerClient.requestSignature(
            timestamp: timestamp, method: method, path: path, body: body ?? [], secret: secret
        ))
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let status: Int, headers: HTTPHeaders, answer: [UInt8]
        do {
            let response = try await http.execute(request, timeout: timeout)
            status = Int(response.status.code)
            headers = response.headers
            answer = Array(buffer: try await response.body.collect(upTo: limit))
        } catch {
            throw .unreachable(String(describing: error))
        }
        guard (200..<300).contains(status) else {
            struct Refusal: Decodable { var code: String; var message: String? }
            let refusal = try? JSONDecoder().decode(Refusal.self, from: Data(answer))
            throw .refused(status: status, code: refusal?.code ?? "HTTP_\(status)", message: refusal?.message ?? "")
        }
        let sent = headers.first(name: "\(prefix)-Timestamp") ?? ""
        let expected = AcquirerCallback.signature(timestamp: sent, body: answer, secret: secret)
        guard let seconds = Int64(sent), Freshness.within(300, sent: seconds, now: clock().seconds),
              AcquirerCallback.same(expected, headers.first(name: "\(prefix)-Signature") ?? "")
        else { throw .unverified }
        return answer
    }

    /// A JSON body written with sorted keys, so the bytes signed are the bytes sent.
    static func json(_ object: [String: Any]?) throws -> [UInt8]? {
        try object.map { Array(try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .withoutEscapingSlashes])) }
    }
}
