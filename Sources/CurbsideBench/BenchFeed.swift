import ArgumentParser
import AsyncHTTPClient
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import Foundation
import NIOCore

/// How fast the city platform hears of what happens: a `curbside serve` child
/// sends its feed to a platform stand-in in this process while yesterday's
/// simulated events of the sample district go in; then the platform is down
/// for a while and the backlog is timed until it has all arrived.
struct BenchFeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed",
        abstract: "City platform feed: record latency while the platform is up, and catching up after an outage.",
        discussion: "Run as: swift build -c release && .build/release/curbside-bench feed --postgres postgres://user@localhost/postgres"
    )

    @OptionGroup var stores: BenchStores.Options

    @Option(help: "Seconds the platform is down in the second half.")
    var outage = 60

    @Option(help: "Port for the server under test.")
    var port = 18_482

    func run() async throws {
        print("City platform feed benchmark: a simulated day in two halves, the platform down for \(outage) s during the second")
        try await BenchStores.each(stores) { target in
            print("  \(target.label) " + (try await measure(target)))
        }
    }

    func measure(_ target: BenchStores.Target) async throws -> String {
        let platform = try await BenchPlatform.start()
        defer { Task { try? await platform.stop() } }
        let server = try await BenchServer.launch(port: port, dataDirectory: target.dataDirectory, environment: target.environment.merging([
            "CURBSIDE_BILL_DELAY_SECONDS": "1", "CURBSIDE_CITY_FEED_URL": platform.url, "CURBSIDE_CITY_FEED_SECRET": "bench-platform-secret-" + UUID().uuidString,
        ]) { $1 })
        defer { server.stop() }
        let gateway = try await server.token(.gateway, "gw-bench")

        let clock = CitySettings.defaultTimeZone
        let day = LocalDate(dayNumber: clock.localDay(Date().seconds) - 1)
        let lines = DaySimulator(bays: try stores.simulated(), settings: .init(day: day, clock: clock, seed: UInt64(day.dayNumber))).run().events
            .map { $0.json(in: clock) }
        func send(_ part: ArraySlice<String>) async throws {
            try await server.send(events: part, token: gateway)
        }

        let half = lines.count / 2
        try await send(lines[..<half])
        try await platform.waitUntilQuiet()
        let up = platform.latencies()

        platform.isDown = true
        try await send(lines[half...])
        try await Task.sleep(for: .seconds(outage))
        let waiting = platform.count
        platform.isDown = false
        let back = Date().milliseconds
        try await platform.waitUntilQuiet()
        let caughtUp = Double(platform.lastArrival - back) / 1000
        return "while up: \(up.count) stay and fee records, latency p50 \(up.p50) ms, p99 \(up.p99) ms, max \(up.max) ms; "
            + "after \(outage) s down: \(platform.count - waiting) records caught up in \(String(format: "%.1f", caughtUp)) s, "
            + "\(platform.repeats) repeated, in order: \(platform.inOrder ? "yes" : "NO")"
    }
}
