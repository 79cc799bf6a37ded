import Crypto
import Foundation
import Vapor

/// A stand-in for the city parking platform, serving real HTTP in this
/// process: it checks each batch's signature, keeps records by their id
/// (counting any that come again), and goes down or comes back on command.
public final class CityPlatformReceiver: @unchecked Sendable {
    public enum Mode: Sendable {
        case up
        /// Answers 503 and keeps nothing.
        case down
        /// Keeps the batch, then answers 500, as if the answer were lost on the way back.
        case loseAnswers
    }

    public struct Arrival: Sendable {
        public var id: Int64
        public var record: [String: any Sendable]
        public var at: Date
    }

    private let lock = NSLock()
    private var mode_ = Mode.up
    private var arrivals: [Arrival] = []
    private var seen: Set<Int64> = []
    private var repeats = 0
    private var refused = 0
    private let app: Application
    public let secret: String
    public private(set) var url = ""

    public init(secret: String = "city-platform-secret-0123456789") async throws {
        self.secret = secret
        app = try await Application.make(.testing)
        app.logger.logLevel = .error
        app.http.server.configuration.port = 0
        app.routes.defaultMaxBodySize = "16mb"
        app.post("feed") { [unowned self] request async throws -> Response in
            try self.receive(request)
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        url = "http://127.0.0.1:\(app.http.server.shared.localAddress!.port!)/feed"
    }

    public func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    public var mode: Mode {
        get { lock.withLock { mode_ } }
        set { lock.withLock { mode_ = newValue } }
    }

    /// Records kept, each once, in the order they first arrived.
    public var records: [Arrival] { lock.withLock { arrivals } }
    /// Records that came again after being kept.
    public var repeated: Int { lock.withLock { repeats } }
    /// Batches refused while down or for a bad signature.
    public var refusedBatches: Int { lock.withLock { refused } }

    private func receive(_ request: Request) throws -> Response {
        let body = Data(buffer: request.body.data ?? ByteBuffer())
        let timestamp = request.headers.first(name: "X-Curbside-Timestamp") ?? ""
        let expected = HMAC<SHA256>.authenticationCode(for: Array((timestamp + ".").utf8) + Array(body), using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
        return lock.withLock {
            guard mode_ != .down, request.headers.first(name: "X-Curbside-Signature") == expected,
                  let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let batch = json["records"] as? [[String: Any]]
            else {
                refused += 1
                return Response(status: mode_ == .down ? .serviceUnavailable : .unauthorized)
            }
            for item in batch {
                guard let id = (item["id"] as? NSNumber)?.int64Value, let record = item["record"] as? [String: Any] else { continue }
                if seen.insert(id).inserted {
                    arrivals.append(Arrival(id: id, record: record.mapValues { $0 as! any Sendable }, at: Date()))
                } else {
                    repeats += 1
                }
            }
            return Response(status: mode_ == .loseAnswers ? .internalServerError : .noContent)
        }
    }
}
