import Foundation
import Vapor

/// The platform's stand-in: takes batches, notes when each record arrived, refuses everything while down.
final class BenchPlatform: @unchecked Sendable {
    private let lock = NSLock()
    private var down = false
    private var arrivals: [(id: Int64, kind: String, madeAt: Int64, arrivedAt: Int64)] = []
    private var seen: Set<Int64> = []
    private var repeated = 0
    private var ordered = true
    private let app: Application
    private(set) var url = ""

    private init(app: Application) {
        self.app = app
    }

    /// Routes are in place before the server starts, as Vapor requires.
    static func start() async throws -> BenchPlatform {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .error
        app.routes.defaultMaxBodySize = "64mb"
        let platform = BenchPlatform(app: app)
        app.post("feed") { [platform] request -> HTTPStatus in platform.take(request) }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        platform.url = "http://127.0.0.1:\(app.http.server.shared.localAddress!.port!)/feed"
        return platform
    }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    var isDown: Bool {
        get { lock.withLock { down } }
        set { lock.withLock { down = newValue } }
    }

    var count: Int { lock.withLock { arrivals.count } }
    var repeats: Int { lock.withLock { repeated } }
    var inOrder: Bool { lock.withLock { ordered } }

    private func take(_ request: Request) -> HTTPStatus {
        struct Batch: Decodable { var records: [Item]; struct Item: Decodable { var id: Int64; var record: Record }; struct Record: Decodable { var kind: String; var at: Int64 } }
        let now = Date().milliseconds
        guard !isDown, let body = request.body.data, let batch = try? JSONDecoder().decode(Batch.self, from: body) else { return .serviceUnavailable }
        lock.withLock {
            for item in batch.records {
                guard seen.insert(item.id).inserted else { repeated += 1; continue }
                if let last = arrivals.last, last.id > item.id { ordered = false }
                arrivals.append((item.id, item.record.kind, item.record.at, now))
            }
        }
        return .noContent
    }

    /// Waits until nothing new has arrived for `seconds` (longer than the sender's longest back-off).
    func waitUntilQuiet(seconds: Int = 6) async throws {
        var last = -1
        while count != last {
            last = count
            try await Task.sleep(for: .seconds(seconds))
        }
    }

    /// When the last record arrived (UTC ms).
    var lastArrival: Int64 { lock.withLock { arrivals.last?.arrivedAt ?? 0 } }

    /// Milliseconds from a stay or fee record being made to its arrival (static records were made before the run).
    func latencies() -> (count: Int, p50: Int64, p99: Int64, max: Int64) {
        let sorted = lock.withLock { arrivals.filter { $0.kind != "static" }.map { $0.arrivedAt - $0.madeAt } }.sorted()
        guard !sorted.isEmpty else { return (0, 0, 0, 0) }
        func at(_ p: Double) -> Int64 { sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)] }
        return (sorted.count, at(0.5), at(0.99), sorted.last!)
    }
}
