import ArgumentParser
import Foundation

/// How right the bills are: simulated days of the sample district, with the
/// street's and the gateways' failures, sent through the gateway API as a
/// gateway would (re-sending under a new id what the server refuses as a
/// reused id), then every stay the simulator knows compared with the bills
/// the server issued.
struct BenchAccuracy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accuracy",
        abstract: "Bills against the truth: simulated days with the street's failures through the gateway API, every stay checked.",
        discussion: """
            Starts `curbside serve` on a fresh database, sends --days simulated days of the sample district with shared cameras \
            misfiling the neighbour's plate, look-alike and unreadable plates, late and repeated batches, unknown event types and \
            detector counters that start again; waits for sessions and bills; then checks every stay: billed once to the right \
            plate for the right amount, held for patrol where the devices could not tell the plate, lost, billed twice, or \
            a stranger billed.
            Run as: swift build -c release && .build/release/curbside-bench accuracy --postgres postgres://user@localhost/postgres
            """
    )

    @OptionGroup var stores: BenchStores.Options

    @Option(help: "Simulated days to send.")
    var days = 7

    @Option(help: "Events per batch.")
    var batch = 500

    @Option(help: "Port for the server under test.")
    var port = 18_484

    @Option(help: "Print up to this many stays that were not billed right, with their bills.")
    var examples = 0

    @Flag(help: "Exit with status 1 when a store misses the goal (the simulated days follow the date, so a tiny run may miss by chance).")
    var check = false

    func run() async throws {
        let world = try AccuracyWorld(stores: stores, days: days)
        print("Accuracy benchmark: \(days) days, \(world.bays.count) bays, \(world.events.count) events sent, \(world.expected.count) true stays")
        var failed = false
        try await BenchStores.each(stores) { target in
            let tally = try await measure(world, environment: target.environment, dataDirectory: target.dataDirectory)
            print("  \(target.label) \(tally)")
            for example in tally.examples.prefix(examples) { print("    " + example) }
            failed = failed || !tally.meetsGoal
        }
        if check && failed { throw ExitCode(1) }
    }

    func measure(_ world: AccuracyWorld, environment: [String: String], dataDirectory: String) async throws -> AccuracyTally {
        let server = try await BenchServer.launch(
            port: port, dataDirectory: dataDirectory, environment: environment.merging(["CURBSIDE_BILL_DELAY_SECONDS": "1"]) { $1 }
        )
        defer { server.stop() }
        let started = Date()
        // Both tokens first: on SQLite, `curbside token` would wait behind the busy server's writes.
        let gateway = AccuracyGateway(base: server.base, token: try await server.token(.gateway, "gw-accuracy"), clock: world.clock)
        let finance = try await server.token(.finance, "accuracy")
        let clock = ContinuousClock()
        let sending = clock.now
        let sent = try await gateway.send(world.events, batch: batch)
        let sendTime = clock.now - sending
        try await BenchServer.waitUntilCaughtUp(server.base)
        let bills = try await AccuracyBills.fetch(server.api(finance), since: started)
        var tally = world.score(bills)
        tally.refused = sent.refused
        tally.resent = sent.resent
        tally.timing = String(format: "sent in %.0f s, all billed %.0f s later", sendTime.seconds, (clock.now - sending - sendTime).seconds)
        return tally
    }
}
