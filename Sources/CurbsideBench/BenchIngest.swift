import ArgumentParser
import AsyncHTTPClient
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import Foundation
import NIOCore
import NIOHTTP1

/// Events per second through the gateway API, from this process to a server
/// in another, with fusion running beside ingestion as in production; and how
/// long after the last batch the sessions were up to date.
struct BenchIngest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Gateway API throughput and batch latency against a server on SQLite and on PostgreSQL.",
        discussion: """
            Starts `curbside serve` on a fresh database, sends simulated days of the sample district in \
            batches from several connections at once, and reports events/s and batch latency. On PostgreSQL it \
            then inserts the same rows straight into a copy of the events table, for the database's own rate.
            Run as: swift build -c release && .build/release/curbside-bench ingest --postgres postgres://user@localhost/postgres
            """
    )

    @OptionGroup var stores: BenchStores.Options

    @Option(help: "Simulated days to send (about 59,000 events each).")
    var days = 4

    @Option(help: "Events per batch.")
    var batch = 500

    @Option(help: "Batches in flight at once (gateways sending together).")
    var concurrency = 4

    @Option(help: "Events per second to offer, paced evenly (0: as fast as the server takes them).")
    var rate = 0

    @Option(help: "Port for the server under test.")
    var port = 18_480

    func run() async throws {
        let bodies = try makeBatches()
        let events = bodies.reduce(0) { $0 + $1.count }
        print("Ingest benchmark: \(events) events in \(bodies.count) batches of \(batch), \(concurrency) in flight" + (rate > 0 ? ", offered at \(BenchFormat.rate(Double(rate))) events/s" : ""))
        try await BenchStores.each(stores) { target in
            let result = try await measure(bodies, environment: target.environment, dataDirectory: target.dataDirectory)
            print("  \(target.label) \(result)")
            if let database = target.database {
                print("  PostgreSQL storage as the run left it: \(try await BenchStorage.measure(database))")
                print("  PostgreSQL storage compacted to its live rows: \(try await BenchStorage.measure(database, compacted: true))")
                let raw = try await database.rawInsertRate(batch: batch, concurrency: concurrency)
                print("  PostgreSQL raw insert of the same rows: \(BenchFormat.rate(raw)) rows/s (service at \(String(format: "%.0f", result.eventsPerSecond / raw * 100)) % of it)")
            }
        }
    }

    /// Simulated days before yesterday, each with its own event ids, as request bodies.
    func makeBatches() throws -> [(body: ByteBuffer, count: Int)] {
        let today = CitySettings.defaultTimeZone.localDay(Date().seconds)
        return Self.batches(of: try stores.simulated(), days: (1...days).reversed().map { LocalDate(dayNumber: today - $0 - 1) }, batch: batch)
    }

    /// The simulated days of `bays`, oldest first as days arrive, each with its own event ids, as request bodies of `batch` events.
    static func batches(of bays: [SimulatedBay], days: [LocalDate], batch: Int) -> [(body: ByteBuffer, count: Int)] {
        let clock = CitySettings.defaultTimeZone
        var lines: [String] = []
        for day in days {
            let simulation = DaySimulator(bays: bays, settings: .init(day: day, clock: clock, seed: UInt64(day.dayNumber))).run()
            lines += simulation.events.map { event in
                var event = event
                event.eventID = "\(day)-\(event.eventID)"
                return event.json(in: clock)
            }
        }
        return stride(from: 0, to: lines.count, by: batch).map { start in
            let slice = lines[start..<min(start + batch, lines.count)]
            return (ByteBuffer(string: "{\"events\":[" + slice.joined(separator: ",") + "]}"), slice.count)
        }
    }

    func measure(_ bodies: [(body: ByteBuffer, count: Int)], environment: [String: String], dataDirectory: String) async throws -> BenchResult {
        let server = try await BenchServer.launch(port: port, dataDirectory: dataDirectory, environment: environment)
        defer { server.stop() }
        return try await Self.send(bodies, to: server, concurrency: concurrency, rate: rate, batch: batch)
    }

    /// Sends the bodies from `concurrency` connections (paced at `rate` events/s unless 0) and waits until sessions are up to date.
    static func send(_ bodies: [(body: ByteBuffer, count: Int)], to server: BenchServer, concurrency: Int, rate: Int, batch: Int) async throws -> BenchResult {
        let base = server.base
        let token = try await server.token(.gateway, "gw-bench")

        let queue = BatchQueue(count: bodies.count)
        let started = ContinuousClock.now
        let timed = try await withThrowingTaskGroup(of: [(index: Int, latency: Duration)].self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var measured: [(index: Int, latency: Duration)] = []
                    while let index = await queue.next() {
                        if rate > 0 {
                            try await Task.sleep(until: started + .seconds(Double(index * batch) / Double(rate)), clock: .continuous)
                        }
                        var request = HTTPClientRequest(url: base + "/v1/gateway/events")
                        request.method = .POST
                        request.headers.add(name: "Authorization", value: "Bearer \(token)")
                        request.headers.add(name: "Content-Type", value: "application/json")
                        request.body = .bytes(bodies[index].body)
                        let sent = ContinuousClock.now
                        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
                        let body = try await response.body.collect(upTo: 1 << 20)
                        guard response.status == .ok else {
                            throw BenchFailure(description: "batch \(index): HTTP \(response.status.code) \(String(buffer: body).prefix(200))")
                        }
                        measured.append((index, ContinuousClock.now - sent))
                    }
                    return measured
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let finished = ContinuousClock.now
        try await BenchServer.waitUntilCaughtUp(base)
        return BenchResult(
            events: bodies.reduce(0) { $0 + $1.count }, elapsed: finished - started, latencies: timed.map(\.latency).sorted(),
            slowest: timed.sorted { $0.latency > $1.latency }.prefix(4).map { ($0.index, $0.latency) },
            caughtUp: ContinuousClock.now - finished
        )
    }
}

/// hands out batch indexes to the senders, each once.
actor BatchQueue {
    private var cursor = 0
    private let count: Int

    init(count: Int) {
        self.count = count
    }

    func next() -> Int? {
        guard cursor < count else { return nil }
        defer { cursor += 1 }
        return cursor
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
}
