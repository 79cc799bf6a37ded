import ArgumentParser
import AsyncHTTPClient
import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import Foundation

/// The handheld's most frequent request, the beat's bay list, under a steady
/// offered load: a server in another process on a district with a simulated
/// day of sessions and bills, one beat of at least `bays` bays.
struct BenchBeat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beat",
        abstract: "Latency of the patrol beat bay list at a steady request rate, on SQLite and on PostgreSQL.",
        discussion: """
            Starts `curbside serve` on a fresh database, sends yesterday's simulated events of the sample district, \
            waits for sessions and bills, defines a beat of at least --bays bays, opens a shift, then asks for the \
            beat's bays --rate times a second for --seconds seconds and reports the latency.
            Run as: swift build -c release && .build/release/curbside-bench beat --postgres postgres://user@localhost/postgres --skip-sqlite
            """
    )

    @OptionGroup var stores: BenchStores.Options

    @Option(help: "Requests per second to offer, paced evenly.")
    var rate = 500

    @Option(help: "How long to offer them.")
    var seconds = 20

    @Option(help: "Bays the beat holds at least.")
    var bays = 200

    @Option(help: "Port for the server under test.")
    var port = 18_481

    func run() async throws {
        print("Beat bay list benchmark: \(rate) requests/s for \(seconds) s, a beat of at least \(bays) bays")
        try await BenchStores.each(stores) { target in
            print("  \(target.label) " + (try await measure(environment: target.environment, dataDirectory: target.dataDirectory)))
        }
    }

    func measure(environment: [String: String], dataDirectory: String) async throws -> String {
        let server = try await BenchServer.launch(port: port, dataDirectory: dataDirectory, environment: environment.merging(["CURBSIDE_BILL_DELAY_SECONDS": "1"]) { $1 })
        defer { server.stop() }
        let base = server.base
        let token = server.token

        let all = try stores.simulated()
        let clock = CitySettings.defaultTimeZone
        let day = LocalDate(dayNumber: clock.localDay(Date().seconds) - 1)
        let events = DaySimulator(bays: all, settings: .init(day: day, clock: clock, seed: UInt64(day.dayNumber))).run().events
            .compactMap(Components.Schemas.DeviceEventInput.init)
        let gateway = server.api(try await token(.gateway, "gw-bench"))
        for start in stride(from: 0, to: events.count, by: 1000) {
            _ = try await gateway.ingestEvents(body: .json(.init(events: Array(events[start..<min(start + 1000, events.count)])))).ok
        }
        try await BenchServer.waitUntilCaughtUp(base)
        // Bills are issued a second after sessions settle, by the server's billing round (every 10 s).
        try await Task.sleep(for: .seconds(12))

        var segments: [String] = []
        var count = 0
        for (segment, members) in Dictionary(grouping: all, by: \.segmentID).sorted(by: { $0.key < $1.key }) where count < bays {
            segments.append(segment)
            count += members.count
        }
        let officerToken = try await Self.openShift(on: server, segments: segments)
        let page = try await server.api(officerToken).listMyBeat().ok.body.json
        let states = Dictionary(grouping: page.items, by: \.state.rawValue).mapValues(\.count).sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }

        let total = rate * seconds
        let queue = BatchQueue(count: total)
        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for _ in 0..<64 {
                group.addTask {
                    var measured: [Duration] = []
                    while let index = await queue.next() {
                        try await Task.sleep(until: started + .seconds(Double(index) / Double(rate)), clock: .continuous)
                        let sent = ContinuousClock.now
                        try await Self.readBeat(base, token: officerToken)
                        measured.append(ContinuousClock.now - sent)
                    }
                    return measured
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }.sorted()
        let elapsed = ContinuousClock.now - started
        func percentile(_ p: Double) -> Duration { latencies[min(latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)] }
        return "\(page.items.count) bays (\(states.joined(separator: ", "))), \(BenchFormat.rate(Double(total) / elapsed.seconds)) requests/s achieved; "
            + "latency p50 \(BenchFormat.ms(percentile(0.5))), p99 \(BenchFormat.ms(percentile(0.99))), max \(BenchFormat.ms(latencies.last ?? .zero))"
    }

    /// Makes a beat of `segments`, gives it to an officer and opens the officer's shift on it; returns the officer's token.
    static func openShift(on server: BenchServer, segments: [String]) async throws -> String {
        let supervisor = server.api(try await server.token(.operator, "bench"))
        _ = try await supervisor.createBeat(body: .json(.init(id: "BENCH", name: "bench", segments: segments))).created
        let officerToken = try await server.token(.patrol, "bench-officer")
        _ = try await supervisor.assignBeats(path: .init(staffId: "bench-officer"), body: .json(.init(beats: ["BENCH"]))).ok
        _ = try await server.api(officerToken).openShift(body: .json(.init(beatId: "BENCH"))).created
        return officerToken
    }

    /// The measured request, read whole but not decoded: decoding hundreds of bays
    /// 500 times a second would measure this process, on the server's two cores.
    static func readBeat(_ base: String, token: String) async throws {
        var request = HTTPClientRequest(url: base + "/v1/patrol/beat")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        _ = try await response.body.collect(upTo: 16 << 20)
        guard response.status == .ok else { throw BenchFailure(description: "GET /v1/patrol/beat: HTTP \(response.status.code)") }
    }
}
