import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import Foundation
import Logging
import Vapor

/// `curbside demo`: the whole system end to end on a throw-away SQLite
/// database. It starts the real server on a free port, lets it load Zones/
/// and Tariffs/, tours the registry and tariffs over HTTP, then runs a whole
/// simulated day: device events in, sessions, bills and notices out, some
/// paid through orders placed with the channels' simulators, some left unpaid.
struct DemoTour {
    /// What the demo saw.
    struct Outcome: Sendable {
        var zones = 0
        var segments = 0
        var openBays = 0
        var changes = 0
        var lookedUp: String?
        var suggestion: String?
        var quoteFen: Int?
    }

    var zonesDirectory: String
    var tariffsDirectory: String
    var clock: DemoClock
    var output: @Sendable (String) -> Void

    init(
        zonesDirectory: String = "Zones", tariffsDirectory: String = "Tariffs", clock: DemoClock = DemoClock(),
        // A line at a time, unbuffered even into a pipe: the log's warnings (on stderr) fall between lines, not inside them.
        output: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
    ) {
        self.zonesDirectory = zonesDirectory
        self.tariffsDirectory = tariffsDirectory
        self.clock = clock
        self.output = output
    }

    @discardableResult
    func run() async throws -> Outcome {
        let started = ContinuousClock.now
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-demo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let channels = try await DemoChannels(clock: clock)
        // The demo runs the background jobs' rounds itself, in turn, so that what it prints follows one order.
        var configuration = CurbsideConfiguration(database: .sqlite(path: directory + "/curbside.sqlite"), dataDirectory: directory)
        configuration.files.zones = zonesDirectory
        configuration.files.tariffs = tariffsDirectory
        configuration.log = LogSettings(level: .warning, format: .text)
        configuration.backgroundJobs = false
        configuration.billing = BillingSettings(settleDelay: 1, publicURL: "https://pay.example.cn")
        configuration.channels = channels.settings
        configuration.notices = .aliyun
        configuration.sms = channels.smsSettings
        configuration.invoices.wechat = true
        guard FileManager.default.fileExists(atPath: zonesDirectory), FileManager.default.fileExists(atPath: tariffsDirectory) else {
            throw DemoError("Run the demo from the repository root: it reads \(zonesDirectory)/ and \(tariffsDirectory)/.")
        }

        let app = try await Application.make(Environment(name: "production", arguments: ["curbside"]))
        app.logger.logLevel = .warning
        do {
            let clock = clock
            let store = try await CurbsideApp.configure(app, configuration, options: .init(clock: { clock.now }))
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            guard let port = app.http.server.shared.localAddress?.port else { throw DemoError("The server did not report its port.") }
            let client = DemoClient(baseURL: "http://127.0.0.1:\(port)")
            channels.simulated.deliver(to: client.baseURL)
            channels.sms.reportURL = client.baseURL + "/v1/channels/sms/aliyun/reports"
            let token = try await CurbsideApp.localToken(Principal(subject: "demo", role: .admin), validFor: 600, store: store, database: app.db, configuration: configuration)
            let outcome = try await tour(client, token: token, city: configuration.city.code, databasePath: directory + "/curbside.sqlite")
            let jobs = DemoJobs(app: app, configuration: configuration, store: store, clock: clock)
            try await DemoDay(client: client, jobs: jobs, channels: channels, configuration: configuration, output: output).run()
            let elapsed = ContinuousClock.now - started
            output("")
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            output("Done in \(String(format: "%.1f", seconds)) s. The database was temporary; `swift run curbside serve` keeps one under .curbside/.")
            await app.server.shutdown()
            try await app.asyncShutdown()
            try await channels.stop()
            return outcome
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            try? await channels.stop()
            throw error
        }
    }

    private func tour(_ client: DemoClient, token: String, city: DivisionCode, databasePath: String) async throws -> Outcome {
        var outcome = Outcome()
        let api = client.api()
        let admin = client.api(token)
        output("Curbside demo: on-street parking for division \(city) (Heshan), on an embedded SQLite database")
        output("Server: \(client.baseURL)  database: \(databasePath)")

        let ready = try await api.getReadiness().ok.body.json
        output("GET /readyz -> \(ready.status.rawValue) (\(ready.database.rawValue))")

        let tariffs = try await api.listTariffs().ok.body.json
        output("Tariffs loaded from \(tariffsDirectory)/: " + tariffs.tariffs.map { "\($0.id) v\($0.version)" }.joined(separator: ", "))

        output("")
        output("Availability by zone (GET /v1/availability)")
        let availability = try await api.listAvailability().ok.body.json
        output("  zone   class  status     open bays   EV   occupied  free  unknown  name")
        for zone in availability.zones {
            let counts = zone.counts
            output("  " + [pad(zone.zoneId, 6), pad("\(zone._class.rawValue)", 6), pad(zone.status.rawValue, 10), pad("\(counts.total)", 11, right: true),
                           pad("\(counts.evTotal)", 4, right: true), pad(counts.occupied.map(String.init) ?? "-", 10, right: true),
                           pad(counts.free.map(String.init) ?? "-", 5, right: true), pad("\(counts.unknown)", 8, right: true), " " + zone.name].joined(separator: " "))
            outcome.zones += 1
            outcome.openBays += counts.total
        }
        output("  Occupancy stays unknown (-) until bay detectors report; unknown is never shown as free.")

        for (index, zone) in availability.zones.enumerated() {
            let segments = try await api.getZoneAvailability(path: .init(zoneId: zone.zoneId)).ok.body.json.segments ?? []
            if index == 0 {
                output("")
                output("Road segments of zone \(zone.zoneId) (GET /v1/availability/zones/\(zone.zoneId))")
                for segment in segments {
                    output("  \(pad(segment.segmentId, 6)) \(pad("\(segment.counts.total) open", 8, right: true))  \(segment.address)")
                }
            }
            outcome.segments += segments.count
        }

        output("")
        output("Bay lookup by the code on the kerb (GET /v1/bays/{code})")
        if let code = try await admin.listBays(query: .init(limit: 1)).ok.body.json.items.first?.code {
            let typed = String(code.prefix(4)) + " " + code.dropFirst(4).lowercased()
            let bay = try await api.lookupBay(path: .init(code: typed)).ok.body.json
            output("  typed \"\(typed)\" -> \(bay.code) (full code \(bay.fullCode)): \(bay.address), zone \(bay.zoneId) class \(bay.zoneClass.rawValue), "
                   + "\(bay.kind.rawValue), \(bay.status.rawValue), tariff \(bay.tariffId), occupancy \(bay.occupancy.rawValue)")
            outcome.lookedUp = bay.code
            var characters = Array(code)
            if let index = characters.indices.dropLast().first(where: { characters[$0] != characters[$0 + 1] }) {
                characters.swapAt(index, index + 1)
                let typo = String(characters)
                let problem = try await api.lookupBay(path: .init(code: typo)).unprocessableContent.body.json
                output("  typed \"\(typo)\" (two digits swapped) -> 422 \(problem.code): \(problem.message)")
                outcome.suggestion = problem.didYouMean
            }

            let tariff = try await api.getZoneTariff(path: .init(zoneId: bay.zoneId)).ok.body.json
            output("")
            output("Fee standard of zone \(bay.zoneId) (GET /v1/zones/\(bay.zoneId)/tariff): \(tariff.tariffId) v\(tariff.tariffVersion)\(tariff.illustrative ? ", illustrative rates" : "")")
            for rule in tariff.rules { output("  " + rule) }

            let day = clock.today.description
            let quote = try await api.quoteStay(path: .init(code: code), query: .init(until: "\(day)T11:40", from: "\(day)T09:00")).ok.body.json
            output("")
            output("What parking at \(code) from 09:00 to 11:40 today costs (GET /v1/bays/\(code)/quote): \(Money.display(quote.amountFen))")
            for line in quote.lines { output("  \(Money.display(line.amountFen))  \(line.description)") }
            outcome.quoteFen = quote.amountFen
        }

        output("")
        var changes: [Components.Schemas.RegistryChange] = []
        var after: Int64?
        repeat {
            let page = try await admin.listRegistryChanges(query: .init(after: after, limit: 1000)).ok.body.json
            changes += page.items
            after = page.nextAfter
        } while after != nil
        outcome.changes = changes.count
        let byEntity = Dictionary(grouping: changes, by: \.entity.rawValue).mapValues(\.count)
        output("Change log (GET /v1/admin/changes, admin token): \(changes.count) dated records, " +
               ["zone", "segment", "bay"].map { "\(byEntity[$0] ?? 0) \($0)" }.joined(separator: ", ") +
               "; all by \(Set(changes.map(\.actor)).sorted().joined(separator: ", ")) from \(Set(changes.map(\.source.rawValue)).sorted().joined(separator: ", ")).")
        let anonymous = try await api.listRegistryChanges().unauthorized.body.json
        output("The same request without a token -> 401 \(anonymous.code)")
        return outcome
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }

}

struct DemoError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
