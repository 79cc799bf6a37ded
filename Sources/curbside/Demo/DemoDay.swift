import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import Foundation
import OpenAPIRuntime

/// The demo's whole day: yesterday on the first bays of the sample district,
/// simulated with the field's failure modes, sent through the gateway API,
/// folded, billed and noticed; then citizens and patrol pay most bills
/// through every kind of channel (WeChat Pay and Alipay orders placed with
/// their simulators), a lost notification is made up by the follow-up, an
/// officer's offline queue is uploaded, finance refunds one back through
/// WeChat Pay, the next morning's statements are reconciled by themselves,
/// and the ledger's totals close the day.
struct DemoDay {
    let client: DemoClient
    let jobs: DemoJobs
    let channels: DemoChannels
    let configuration: CurbsideConfiguration
    let output: @Sendable (String) -> Void

    static let bayCount = 80

    typealias Bill = Components.Schemas.Bill
    typealias Session = Components.Schemas.Session

    func run() async throws {
        let clock = DemoClock.zone
        let now = jobs.clock.seconds
        let day = jobs.clock.simulatedDay
        let bays = Array(try registryBays().prefix(Self.bayCount))
        let simulation = DaySimulator(bays: bays, settings: .init(day: day, clock: clock, seed: UInt64(day.dayNumber))).run()

        output("")
        output("A whole day: \(day) on \(bays.count) bays (\(bays.first!.code)...\(bays.last!.code)), simulated with late gateways, duplicates, flapping and misreads")
        let gateway = client.api(try await token(.gateway, "demo-gateway"))
        var accepted = 0
        var duplicates = 0
        let events = simulation.events.compactMap(Components.Schemas.DeviceEventInput.init)
        for start in stride(from: 0, to: events.count, by: 500) {
            let batch = Components.Schemas.EventBatch(events: Array(events[start..<min(start + 500, events.count)]))
            let reply = try await gateway.ingestEvents(body: .json(batch)).ok.body.json
            accepted += reply.accepted
            duplicates += reply.duplicates
        }
        output("  POST /v1/gateway/events: \(events.count) events in batches of 500 -> \(accepted) stored, \(duplicates) repeats acknowledged once")
        try await jobs.fuse()
        let sessions = try await allSessions(client.api(try await token(.admin, "demo")))
        let closed = sessions.filter { $0.status == .closed }.count
        output("  Fused into \(sessions.count) parking sessions (\(closed) closed); \(sessions.filter(\.needsPatrol).count) wait for patrol (device outage)")

        if let plate = try await passHolder(sessions) {
            let from = Date(seconds: clock.utc(fromLocal: Int64(LocalDate(year: day.year, month: day.month, day: 1)!.dayNumber) * 86_400))
            let permit = Components.Schemas.Permit(id: "MP-DEMO-1", kind: .monthly, plate: plate, from: from, until: Date(seconds: 4_102_387_200))
            _ = try await client.api(try await token(.operator, "demo-operator")).addPermit(body: .json(.init(value1: permit, value2: .init(note: "月租停车证")))).created
            output("  Operator adds a monthly pass for \(plate) (POST /v1/admin/permits) -> 201")
        }
        let round = try await jobs.bill()
        let reasons = round.noBill.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.replacingOccurrences(of: "_", with: " "))" }.joined(separator: ", ")
        output("")
        output("Billing job: \(round.issued) bills issued; no bill for \(reasons)")
        let finance = client.api(try await token(.finance, "demo-finance"))
        let bills = try await allBills(finance)
        let owing = bills.filter { $0.amountDueFen > 0 }
        output("  Bills asking for money: \(owing.count); zero bills that say why (exempt vehicles, permits): \(bills.count - owing.count)")
        if let example = owing.first(where: { $0.lines.count > 2 }) ?? owing.first {
            output("  Bill \(example.number), \(example.plate): \(Money.display(example.amountDueFen))")
            for line in example.lines { output("    \(Money.display(line.amountFen))  \(line.description)") }
        }
        let sent = try await jobs.sendNotices()
        output("  Notices sent from the outbox: \(sent), each with a short payment link and its QR code (PNG)")
        if let first = owing.first, let notice = try await firstNotice(first, finance: finance) { output("    " + notice) }

        output("")
        output("Paying: citizens through WeChat Pay, Alipay and UnionPay (orders placed with their simulators); patrol in cash; one bill in five left unpaid")
        let patrol = client.api(try await token(.patrol, "demo-officer"))
        var segments: [String] = []
        for bay in bays where !segments.contains(bay.segmentID) { segments.append(bay.segmentID) }
        let supervisor = client.api(try await token(.operator, "demo-operator"))
        _ = try await supervisor.createBeat(body: .json(.init(id: "DEMO", name: "演示巡检片区", segments: segments))).created
        _ = try await supervisor.assignBeats(path: .init(staffId: "demo-officer"), body: .json(.init(beats: ["DEMO"]))).ok
        _ = try await patrol.openShift(body: .json(.init(beatId: "DEMO"))).created
        let payments = try await payBills(owing, patrol: patrol)
        for (channel, total) in payments.byChannel.sorted(by: { $0.key < $1.key }) {
            output("  \(channel): \(total.count) bills, \(Money.display(total.fen))")
        }
        if let first = payments.firstWeChat {
            let again = try await signedWeChat(payment: first.payment, transaction: first.transaction, fen: first.fen, now: now, forged: false)
            let forged = try await signedWeChat(payment: first.payment, transaction: first.transaction, fen: first.fen, now: now, forged: true)
            output("  The same WeChat notification again -> \(again) (settled once); one signed with another key -> \(forged) (refused)")
        }
        try await recoverLost(payments.lost)
        if let first = payments.firstWeChat { try await refundThroughWeChat(first, finance: finance) }
        let offlineCash = try await streetActions(owing: owing, sessions: sessions, bays: bays, patrol: patrol)
        let cash = (payments.byChannel[PaymentChannel.cash.rawValue]?.fen ?? 0) + offlineCash
        let handover = try await patrol.closeMyShift(body: .json(.init(cashCountedFen: cash))).ok.body.json
        output("  The officer closes the shift: cash counted \(Money.display(handover.cashCountedFen ?? 0)), in the ledger \(Money.display(handover.cashInLedgerFen ?? 0)), difference \(Money.display(handover.cashDifferenceFen ?? 0))")
        let unpaid = try await allBills(finance).filter { $0.status == .unpaid }
        output("  Left unpaid: \(unpaid.count) bills, \(Money.display(unpaid.reduce(0) { $0 + $1.outstandingFen })) outstanding, for enforcement")
        var citizen: Client?
        if let bound = unpaid.first { citizen = try await citizenBinds(bound, finance: finance) }

        let today = jobs.clock.today
        try await reconcileStatements(finance: finance, today: today)
        let totals = try await CurbsideStore.Bills(store: jobs.store, database: jobs.app.db).totals()
        func total(_ kind: LedgerEntry.Kind) -> Int { totals[kind] ?? 0 }
        let outstanding = total(.receivable) - total(.exemption) - total(.discount) - total(.writeOff) - total(.received) + total(.refund)
        output("Ledger: receivable \(Money.display(total(.receivable))), exempted \(Money.display(total(.exemption))), received \(Money.display(total(.received))), "
               + "discounts \(Money.display(total(.discount))), refunds \(Money.display(total(.refund))); outstanding \(Money.display(outstanding))")
        try await concessionReport(month: String(today.description.prefix(7)), ledger: totals)
        try await cityView(day: day, clock: clock, sessions: sessions.filter { $0.status != .void }.count)
        // The second plate is another car's: a plate pays through one account.
        if let citizen, let bound = unpaid.first, let other = unpaid.first(where: { $0.plate != bound.plate }) {
            try await nonStop(citizen, plate: bound, failing: other, finance: finance, bays: Array(try registryBays().dropFirst(Self.bayCount)))
        }
        if let bound = unpaid.first { try await weekLater(bound, finance: finance) }
    }

    /// A plate for the monthly pass, chosen for what the demo shows: one stay
    /// that day, closed, seen throughout and long enough to cost something
    /// (asked of the quote API), by a car that pays, so that its bill is the
    /// one zero bill the pass explains.
    func passHolder(_ sessions: [Session]) async throws -> String? {
        let byPlate = Dictionary(grouping: sessions.filter { $0.plate != nil }, by: { $0.plate!.text })
        for (text, stays) in byPlate.sorted(by: { $0.key < $1.key }) where stays.count == 1 {
            let stay = stays[0]
            guard stay.status == .closed, stay.billable, !stay.needsPatrol, let end = stay.end,
                  let plate = try? CurbsideCore.Plate(parsing: text), let colour = PlateColour(rawValue: stay.plate!.colour),
                  VehicleClass.of(plate, colour: colour) != .exempt
            else { continue }
            let instant = RFC3339DateTranscoder()
            let quote = try await client.api().quoteStay(path: .init(code: stay.bay), query: .init(until: try instant.encode(end), from: try instant.encode(stay.start)))
            if try quote.ok.body.json.amountFen > 0 { return text }
        }
        return nil
    }

    func token(_ role: Role, _ subject: String) async throws -> String {
        try await CurbsideApp.localToken(Principal(subject: subject, role: role), validFor: 3600, store: jobs.store, database: jobs.app.db, configuration: configuration)
    }

    func registryBays() throws -> [SimulatedBay] {
        let files = try FileManager.default.contentsOfDirectory(atPath: configuration.files.zones).filter { $0.hasSuffix(".geojson") }.sorted()
        return try files.flatMap { file in
            SimulatedBay.all(in: RegistryGeoJSON.read(try Data(contentsOf: URL(fileURLWithPath: configuration.files.zones + "/" + file)), cityTimeZone: configuration.city.timeZone.identifier).0)
        }
    }

    func allSessions(_ api: Client) async throws -> [Session] {
        var sessions: [Session] = []
        var after: String?
        repeat {
            let page = try await api.listSessions(query: .init(after: after, limit: 1000)).ok.body.json
            sessions += page.items
            after = page.nextAfter
        } while after != nil
        return sessions
    }

    /// Every bill the demo could have issued: 2000-01-01 to 2100-01-01 (UTC).
    static let billsFrom = Date(seconds: 946_684_800)
    static let billsUntil = Date(seconds: 4_102_444_800)

    func allBills(_ api: Client) async throws -> [Bill] {
        var bills: [Bill] = []
        var after: String?
        repeat {
            let page = try await api.listBills(query: .init(from: Self.billsFrom, until: Self.billsUntil, after: after, limit: 1000)).ok.body.json
            bills += page.items
            after = page.nextAfter
        } while after != nil
        return bills
    }

    /// Sends WeChat Pay's notification of a payment, signed with the platform's key or, `forged`, another; returns the answer's status.
    func signedWeChat(payment: String, transaction: String, fen: Int, now: Int64, forged: Bool) async throws -> Int {
        let simulator = channels.channels
        let signed = try simulator.weChat(payment: payment, transaction: transaction, fen: fen, at: now, signer: forged ? simulator.forgerKey : nil)
        switch try await client.api().wechatNotify(signed) {
        case .noContent: return 204
        case .unauthorized: return 401
        case let other: throw DemoError("WeChat Pay's notification was answered \(other)")
        }
    }
}
