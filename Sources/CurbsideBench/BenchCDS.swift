import ArgumentParser
import AsyncHTTPClient
import CurbsideCore
import CurbsideServer
import Foundation
import NIOCore
import SQLKit

/// The CDS Metrics API over a month of a whole city's stays on PostgreSQL:
/// the data of `bench report`, written for last month, served by a
/// `curbside serve` child and asked for over HTTP.
struct BenchCDS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cds",
        abstract: "Time the CDS Metrics API over a month of a million sessions on PostgreSQL.",
        discussion: """
            Creates a throw-away database beside --postgres, loads Zones/, writes last month's sessions with SQL, starts \
            `curbside serve` on it, and times aggregates and sessions requests --runs times each.
            Run as: swift build -c release && .build/release/curbside-bench cds --postgres postgres://user@localhost/postgres
            """
    )

    @OptionGroup var options: BenchMonthOptions

    @Option(help: "Port for the server under test.")
    var port = 18_483

    func run() async throws {
        try await options.withDatabase(measure)
    }

    func measure(url: String) async throws {
        let clock = CitySettings.defaultTimeZone
        let today = LocalDate(dayNumber: clock.localDay(Date().seconds))
        let month = ReportMonth(year: today.month == 1 ? today.year - 1 : today.year, month: today.month == 1 ? 12 : today.month - 1)!
        let instants = ReportPeriod.month(month).instants(in: clock)
        try await options.withMonth(url: url, month: instants) { _, _ in }
        print("CDS Metrics benchmark: \(BenchFormat.rate(Double(options.sessions))) sessions in \(month) on PostgreSQL, over HTTP")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-bench-cds-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try await BenchServer.launch(port: port, dataDirectory: directory, environment: ["DATABASE_URL": url])
        defer { server.stop() }
        let token = try await server.token(.auditor, "bench-city")
        let day = instants.lowerBound + 14 * Milliseconds.day
        let requests: [(String, String)] = [
            ("areas, every metric, the whole month", "aggregates?start_time=\(instants.lowerBound)&end_time=\(instants.upperBound)"),
            ("road segments, every metric, one day", "aggregates?curb_place_type=zone&start_time=\(day)&end_time=\(day + Milliseconds.day)"),
            ("bays, occupancy, one day", "aggregates?curb_place_type=space&metric_type=occupancy_percent&start_time=\(day)&end_time=\(day + Milliseconds.day)"),
            ("sessions, one day", "sessions?start_time=\(day)&end_time=\(day + Milliseconds.day)"),
            ("sessions, five days", "sessions?start_time=\(day)&end_time=\(day + 5 * Milliseconds.day)"),
        ]
        for (label, query) in requests {
            var times: [Duration] = []
            var rows = 0, bytes = 0
            for _ in 1...options.runs {
                var request = HTTPClientRequest(url: server.base + "/cds/metrics/" + query)
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                request.headers.add(name: "Accept", value: "application/vnd.cds+csv; version=1.1")
                let started = ContinuousClock.now
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(300))
                let body = try await response.body.collect(upTo: 1 << 30)
                times.append(ContinuousClock.now - started)
                guard response.status == .ok else {
                    throw BenchFailure(description: "\(query): \(response.status) \(String(buffer: body).prefix(300))")
                }
                bytes = body.readableBytes
                rows = String(buffer: body).utf8.count { $0 == UInt8(ascii: "\n") } - 1
            }
            times.sort()
            print("  \(label): \(BenchFormat.rate(Double(rows))) rows, \(BenchFormat.rate(Double(bytes / 1024))) KiB; "
                  + "median \(BenchFormat.ms(times[times.count / 2])), slowest \(BenchFormat.ms(times.last!))")
        }
    }
}
