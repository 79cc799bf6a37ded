import AsyncHTTPClient
import Foundation
import NIOCore
import Vapor

/// What every channel simulator shares: an HTTP server on a loopback port
/// for the channel's API, and notifications posted to a notify URL, or to
/// another host with the URL's path, as a proxy in front of the server would.
final class LoopbackChannel: @unchecked Sendable {
    let app: Application
    private let lock = NSLock()
    private var host: String?
    private var stopped = false

    /// The server is made here and started, once the simulator has added its routes, by `start()`.
    init() async throws {
        app = try await Application.make(.testing)
        app.logger.logLevel = .error
    }

    /// Starts serving; answers the base URL, `http://127.0.0.1:PORT`.
    func start() async throws -> String {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        return "http://127.0.0.1:\(app.http.server.shared.localAddress!.port!)"
    }

    /// `POST /simulator/pay/{out_trade_no}`: the payer pays, for a front end under test (not part of the channel's API).
    func payRoute(_ pay: @escaping @Sendable (String) async throws -> String) {
        app.post("simulator", "pay", ":number") { request async -> Response in
            do {
                let transaction = try await pay(request.parameters.get("number") ?? "")
                return Response(status: .ok, body: .init(string: transaction + "\n"))
            } catch {
                return Response(status: .conflict, body: .init(string: "\(error)\n"))
            }
        }
    }

    /// Stops serving; stopping again (a test that took the channel down, then its cleanup) does nothing.
    func stop() async throws {
        guard lock.withLock({ () -> Bool in
            defer { stopped = true }
            return !stopped
        }) else { return }
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    var notifyHost: String? {
        get { lock.withLock { host } }
        set { lock.withLock { host = newValue } }
    }

    /// Every notification is posted twice, as a channel does that did not hear (or trust) the first answer.
    @Locked var repeats = false

    /// Posts a notification and reads the answer, which channels look at only for its status.
    func notify(_ url: String, contentType: String, headers: [(String, String)] = [], body: Data) async throws {
        let target = notifyHost.flatMap { host in URLComponents(string: url).map { host + $0.path } } ?? url
        var request = HTTPClientRequest(url: target)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(data: body))
        for _ in 0..<(repeats ? 2 : 1) {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 16)
        }
    }
}
