import AsyncHTTPClient
import NIOCore

/// One call to a provider: sent, and its answer read whole (small: an SMS
/// provider answers a few hundred bytes); no answer at all is `unreachable`.
enum ProviderCall {
    static func send(_ request: HTTPClientRequest, http: HTTPClient, timeout: TimeAmount) async throws(SMSError) -> [UInt8] {
        do {
            let response = try await http.execute(request, timeout: timeout)
            return Array(buffer: try await response.body.collect(upTo: 1 << 16))
        } catch {
            throw .unreachable(String(describing: error))
        }
    }
}
