import ArgumentParser
import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import Foundation

/// Citizens paying as fast as they can: a `curbside serve` child with
/// WeChat Pay and Alipay configured as the channel simulators in this process,
/// a simulated day's bills issued by its own jobs, then every bill paid from
/// its link by many payers at once: the link opened, the order placed with the
/// channel, paid there, its notification settling it, the payment read back
/// paid. Counts payments per second from link to settled, and the latency
/// from asking for the order to seeing it settled.
struct BenchPayments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payments",
        abstract: "Payments from a notice's link to settled through the channel simulators: per second, and latency from order to settled.",
        discussion: "Run as: swift build -c release && .build/release/curbside-bench payments --skip-sqlite --postgres postgres://user@localhost/postgres"
    )

    @OptionGroup var stores: BenchStores.Options

    @Option(help: "Payers at once.")
    var concurrency = 16

    @Option(help: "Port for the server under test.")
    var port = 18_483

    func run() async throws {
        print("Payments benchmark: a simulated day's bills, each paid from its link through WeChat Pay or Alipay (simulators on loopback), \(concurrency) payers at once")
        try await BenchStores.each(stores) { target in
            print("  \(target.label) " + (try await measure(target)))
        }
    }

    func measure(_ target: BenchStores.Target) async throws -> String {
        let channels = try await SimulatedChannels()
        defer { Task { try? await channels.stop() } }
        let base = "http://127.0.0.1:\(port)"
        // Every payer here comes from one address, which the edge would throttle as one citizen.
        var environment = target.environment.merging([
            "CURBSIDE_BILL_DELAY_SECONDS": "1", "CURBSIDE_PUBLIC_URL": base, "CURBSIDE_LIMIT_LOOKUPS": "10000000/1m", "CURBSIDE_LIMIT_RECEIPTS": "10000000/1m",
        ]) { $1 }
        for (name, value) in try channels.environment(writingKeysTo: target.dataDirectory + "/channel-keys") { environment[name] = value }
        let server = try await BenchServer.launch(port: port, dataDirectory: target.dataDirectory, environment: environment)
        defer { server.stop() }

        let clock = CitySettings.defaultTimeZone
        let day = LocalDate(dayNumber: clock.localDay(Date().seconds) - 1)
        let events = DaySimulator(bays: try stores.simulated(), settings: .init(day: day, clock: clock, seed: UInt64(day.dayNumber))).run().events
        try await server.send(events: events.map { $0.json(in: clock) }[...], token: try await server.token(.gateway, "gw-bench"))
        let bills = try await issuedBills(server)

        let payers = Payers(bills)
        let started = ContinuousClock.now
        let timings = try await withThrowingTaskGroup(of: [Payers.Timing].self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var mine: [Payers.Timing] = []
                    while let (index, bill) = payers.next() {
                        mine.append(try await pay(bill, channel: index % 3 == 2 ? .alipay : .wechat, server: server, channels: channels))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let elapsed = ContinuousClock.now - started
        let unpaid = try await unpaidBills(server.api(try await server.token(.finance, "finance-bench"))).count
        let order = timings.map(\.orderToSettled).sorted()
        let link = timings.map(\.linkToSettled).sorted()
        func p(_ values: [Duration], _ q: Double) -> String { BenchFormat.ms(values[min(values.count - 1, Int((Double(values.count) * q).rounded(.up)) - 1)]) }
        return "\(timings.count) bills paid (\(timings.filter { $0.channel == .wechat }.count) WeChat Pay, \(timings.filter { $0.channel == .alipay }.count) Alipay) "
            + "in \(String(format: "%.1f", elapsed.seconds)) s: \(BenchFormat.rate(Double(timings.count) / elapsed.seconds)) payments/s link to settled; "
            + "order to settled p50 \(p(order, 0.5)), p99 \(p(order, 0.99)), max \(BenchFormat.ms(order.last ?? .zero)); "
            + "link to settled p99 \(p(link, 0.99)); unpaid afterwards: \(unpaid)"
    }

    /// The bills the server's own jobs issue for the day, with the token of each one's link; waits until billing is done.
    func issuedBills(_ server: BenchServer) async throws -> [(number: String, token: String)] {
        let finance = server.api(try await server.token(.finance, "finance-bench"))
        var owing: [Components.Schemas.Bill] = []
        var steady = 0
        while steady < 3 {
            try await Task.sleep(for: .seconds(1))
            let bills = try await unpaidBills(finance)
            steady = !bills.isEmpty && bills.count == owing.count ? steady + 1 : 0
            owing = bills
        }
        var result: [(number: String, token: String)] = []
        for bill in owing where bill.amountDueFen > 0 {
            let link = try await finance.getBill(path: .init(number: bill.number)).ok.body.json.value2.payLink
            result.append((bill.number, String(link.split(separator: "/").last ?? "")))
        }
        return result
    }

    /// Every unpaid bill of the last three days.
    func unpaidBills(_ finance: Client) async throws -> [Components.Schemas.Bill] {
        var bills: [Components.Schemas.Bill] = []
        var after: String?
        let now = Date()
        repeat {
            let page = try await finance.listBills(query: .init(
                from: now.addingTimeInterval(-3 * 86_400), until: now.addingTimeInterval(86_400), status: .unpaid, after: after, limit: 1000
            )).ok.body.json
            bills += page.items
            after = page.nextAfter
        } while after != nil
        return bills
    }

    /// One citizen: opens the link, asks for an order, pays in the channel's app, and reads the payment back paid.
    func pay(_ bill: (number: String, token: String), channel: Components.Schemas.PaymentChannel, server: BenchServer, channels: SimulatedChannels) async throws -> Payers.Timing {
        let phone = server.api()
        let opened = ContinuousClock.now
        let due = try await phone.openPayLink(path: .init(token: bill.token)).ok.body.json.outstandingFen
        let ordered = ContinuousClock.now
        let created = try await phone.createPayment(body: .json(.init(channel: channel, bills: [bill.number], scene: .qr))).created.body.json
        guard created.amountFen == due else { throw BenchFailure(description: "bill \(bill.number): an order for \(created.amountFen) fen, \(due) due") }
        _ = channel == .wechat ? try await channels.wechat.pay(created.id) : try await channels.alipay.pay(created.id)
        let payment = try await phone.getPayment(path: .init(paymentId: created.id), query: .init(wait: 20)).ok.body.json
        guard payment.status == .paid else { throw BenchFailure(description: "payment \(created.id) is \(payment.status.rawValue) after paying") }
        let settled = ContinuousClock.now
        return .init(channel: channel, linkToSettled: settled - opened, orderToSettled: settled - ordered)
    }
}
