import ArgumentParser
import AsyncHTTPClient
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import Foundation
import Logging
import NIOCore
import SQLKit

/// How each hot path's cost grows with the city's size and its history: a
/// city of N bays with H days written straight into PostgreSQL
/// (`BenchCity`), then, on a `curbside serve` over it, the sample district's
/// next day ingested as fast as taken, the beat list, a bay's and a plate's
/// inspection, public availability, the report of the month holding most of
/// the history, the city's CDS aggregates of its areas and its road
/// segments' occupancy for a day, and in-process retention's run over one day and one
/// bay's replay.
struct BenchScale: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Cost of the hot paths against the number of bays and the days of history, on PostgreSQL.",
        discussion: """
            For every pair of --bays and --days: a fresh database with that city and history, each hot path measured on it.
            Run as: swift build -c release && .build/release/curbside-bench scale --postgres postgres://user@localhost/postgres --bays 820 6450 --days 1 30
            """
    )

    @Option(help: "A PostgreSQL server URL; each city gets a database of its own beside it, dropped afterwards.")
    var postgres: String

    @Option(parsing: .upToNextOption, help: "City sizes in bays (the sample district's 820 and new segments beside it).")
    var bays: [Int] = [820, 6_450]

    @Option(parsing: .upToNextOption, help: "Days of history before the measured day.")
    var days: [Int] = [1, 30]

    @Option(help: "Requests per read measurement.")
    var requests = 100

    @Option(help: "Port for the server under test.")
    var port = 18_482

    @Option(help: "Registry file of the sample district the city grows from.")
    var zones = "Zones/heshan-shaping.geojson"

    @Option(help: "Ingest the day of the first N bays of the sample district only (default: all); a tiny run checks the benchmark works.")
    var sampleBays: Int?

    @Option(help: "Where to draw the figures as a PNG (none when not given).")
    var chart: String?

    @Flag(help: "Keep each city's database after measuring and print its URL, to profile its queries.")
    var keep = false

    func run() async throws {
        var runs: [BenchScaleFigures] = []
        for size in bays {
            for history in days {
                let figures = try await measure(bays: size, days: history)
                Self.emit(figures.description)
                runs.append(figures)
            }
        }
        if let chart {
            try Data(BenchScaleChart.render(runs).encoded()).write(to: URL(fileURLWithPath: chart))
            print("chart: \(chart)")
        }
    }

    func measure(bays: Int, days: Int) async throws -> BenchScaleFigures {
        let database = try await BenchDatabase.create(near: postgres, label: "\(bays)x\(days)")
        do {
            let figures = try await measure(bays: bays, days: days, url: database.url, database: database)
            if keep {
                Self.emit("kept: \(database.url)")
            } else {
                try await database.drop()
            }
            return figures
        } catch {
            try? await database.drop()
            throw error
        }
    }

    func measure(bays: Int, days: Int, url: String, database: BenchDatabase) async throws -> BenchScaleFigures {
        let clock = CitySettings.defaultTimeZone
        let measured = LocalDate(dayNumber: clock.localDay(Date().seconds) - 1)
        let end = clock.utc(fromLocal: Int64(measured.dayNumber) * 86_400) * 1000
        var figures = BenchScaleFigures(bays: bays, days: days)
        var configuration = try CommandEnvironment.configuration()
        configuration.store.location = .postgres(url: url)
        configuration.log.level = .error
        try await CommandEnvironment.withApplication(logLevel: .error) { app in
            let store = try await CurbsideApp.configure(app, configuration, options: .init(routes: false))
            let loading = ContinuousClock.now
            try await BenchCity(bays: bays, history: (end - Int64(days) * Milliseconds.day)..<end).write(on: app.db.sql)
            figures.load = ContinuousClock.now - loading
            figures.storage = try await BenchStorage.measure(database)
            Self.emit("\(BenchFormat.rate(Double(bays))) bays, \(days) days: written in \(String(format: "%.0f", figures.load.seconds)) s; measuring")

            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-bench-scale-\(getpid())").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let server = try await BenchServer.launch(port: port, dataDirectory: directory, environment: ["DATABASE_URL": url])
            defer { server.stop() }

            let sample = Array(try BenchStores.Options.bays(in: zones).prefix(sampleBays ?? .max))
            figures.ingest = try await BenchIngest.send(BenchIngest.batches(of: sample, days: [measured], batch: 500), to: server, concurrency: 4, rate: 0, batch: 500)

            let segments = Array(Set(sample.map(\.segmentID))).sorted().prefix(3)
            let officer = try await BenchBeat.openShift(on: server, segments: Array(segments))
            let onBeat = sample.filter { segments.contains($0.segmentID) && $0.cameraID != nil && $0.sensorID != nil }.map(\.code.rawValue)
            guard let watched = sample.first(where: { $0.code.rawValue == onBeat[0] }) else { throw BenchFailure(description: "no camera bay on the beat") }
            // A car with a plate the history billed many times parks on the beat now: the bay's detector, its camera, a heartbeat.
            let parked = "粤J00001"
            let now = Int64(Date().timeIntervalSince1970)
            let sensor = watched.sensorID ?? "", camera = watched.cameraID!
            let images = ["ab", "cd"].map { GatewayEvent.Image(sha256: String(repeating: $0, count: 32), capturedAt: now - 300, deviceID: camera, position: watched.position) }
            let events = [
                GatewayEvent(deviceID: sensor, eventID: "scale-free", bay: onBeat[0], time: now - 720, received: now, type: "sensor_change", occupied: false),
                GatewayEvent(deviceID: sensor, eventID: "scale-arrive", bay: onBeat[0], time: now - 360, received: now, type: "sensor_change", occupied: true),
                GatewayEvent(
                    deviceID: camera, eventID: "scale-read", bay: onBeat[0], time: now - 300, received: now, type: "camera_arrival",
                    read: .init(plate: parked, colour: "blue", confidence: 97), images: images
                ),
                GatewayEvent(deviceID: sensor, eventID: "scale-beat", bay: onBeat[0], time: now - 120, received: now, type: "heartbeat", occupied: true, battery: 90),
            ]
            try await server.send(events: events.map { $0.json(in: clock) }[...], token: try await server.token(.gateway, "gw-bench"))
            try await BenchServer.waitUntilCaughtUp(server.base)
            figures.reads["beat list"] = try await times(server, officer, "/v1/patrol/beat")
            figures.reads["bay inspection"] = try await times(server, officer, "/v1/patrol/bays/\(onBeat[1])")
            let plate = parked.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!
            figures.reads["plate inspection"] = try await times(server, officer, "/v1/patrol/plates/\(plate)?colour=blue&reason=bench%20check")
            figures.reads["availability"] = try await times(server, nil, "/v1/availability")
            let finance = try await server.token(.finance, "bench-finance")
            // The month holding most of the history: with 30 days or more, a month of stays the report reads whole.
            let middle = LocalDate(dayNumber: clock.localDay((end - Int64(days) * Milliseconds.day / 2) / 1000))
            let month = ReportMonth(year: middle.year, month: middle.month)!
            figures.reads["month's report"] = try await times(server, finance, "/v1/reports/months/\(month)", count: 3)
            let auditor = try await server.token(.auditor, "bench-city")
            let day = end - Milliseconds.day
            figures.reads["CDS aggregates, a day"] = try await times(server, auditor, "/cds/metrics/aggregates?start_time=\(day)&end_time=\(end)", count: 3)
            // One metric: every metric of 2,500 segments' 24 hours is more rows than one answer holds.
            figures.reads["CDS occupancy of the segments, a day"] = try await times(
                server, auditor, "/cds/metrics/aggregates?curb_place_type=zone&metric_type=occupancy_percent&start_time=\(day)&end_time=\(end)", count: 3
            )

            // Retention's daily run over the history's first day, every kind's period set to reach it.
            var periods = RetentionPeriods()
            (periods.events, periods.images, periods.sessions, periods.notices) = (200, 200, 200, 200)
            let retention = Retention(
                store: store, database: app.db, periods: periods, evidence: FileEvidenceObjects(directory: directory + "/evidence"), key: nil
            )
            let started = ContinuousClock.now
            figures.retention = try await retention.run(now: end - Int64(days - 1) * Milliseconds.day + 200 * Milliseconds.day)
            figures.retentionTime = ContinuousClock.now - started
            let replaying = ContinuousClock.now
            _ = try await Replay(database: app.db).run(bay: try BayCode(parsing: onBeat[1]))
            figures.replay = ContinuousClock.now - replaying
        }
        return figures
    }

    /// A line on standard output at once, not when the buffer fills: a run of many cities takes an hour.
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Each of `count` requests' time to its last byte, one after another.
    func times(_ server: BenchServer, _ token: String?, _ path: String, count: Int? = nil) async throws -> [Duration] {
        var times: [Duration] = []
        for _ in 0..<(count ?? requests) {
            var request = HTTPClientRequest(url: server.base + path)
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            let started = ContinuousClock.now
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(600))
            let body = try await response.body.collect(upTo: 1 << 30)
            times.append(ContinuousClock.now - started)
            guard response.status == .ok else { throw BenchFailure(description: "GET \(path): HTTP \(response.status.code) \(String(buffer: body).prefix(300))") }
        }
        return times.sorted()
    }
}
