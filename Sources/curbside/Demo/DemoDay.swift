import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import Foundation

/// The demo's whole day: yesterday on the first bays of the sample district,
/// simulated with the field's failure modes, sent through the gateway API,
/// folded, billed and noticed; then citizens and patrol pay most bills
/// through every kind of channel, an officer's offline queue is uploaded,
/// finance refunds one and reconciles
/// WeChat Pay's statement, and the ledger's totals close the day.
struct DemoDay {
    let client: DemoClient
    let jobs: DemoJobs
    let channels: PaymentChannelSimulator
    let configuration: CurbsideConfiguration
    let output: @Sendable (String) -> Void

    static let bayCount = 80

    struct Bill: Decodable { var number: String; var plate: String; var amountDueFen: Int; var outstandingFen: Int; var lines: [Line]; var status: String }
    struct Line: Decodable { var amountFen: Int; var description: String }
    struct Bills: Decodable { var items: [Bill]; var nextAfter: String? }
    struct Sessions: Decodable { var items: [Session]; var nextAfter: String? }
    struct Session: Decodable { var bay: String; var status: String; var needsPatrol: Bool; var billable: Bool; var start: String; var end: String?; var plate: Plate? }
    struct Plate: Decodable { var text: String; var colour: String }
    struct Payment: Decodable { var id: String; var amountFen: Int; var status: String }
    struct Ingested: Decodable { var accepted: Int; var duplicates: Int }
    struct Reconciled: Decodable { var matched: Int; var differences: [Difference] }
    struct Difference: Decodable { var kind: String; var paymentId: String }

    func run() async throws {
        let clock = DemoClock.zone
        let now = jobs.clock.seconds
        let day = jobs.clock.simulatedDay
        let bays = Array(try registryBays().prefix(Self.bayCount))
        let simulation = DaySimulator(bays: bays, settings: .init(day: day, clock: clock, seed: UInt64(day.dayNumber))).run()

        output("")
        output("A whole day: \(day) on \(bays.count) bays (\(bays.first!.code)...\(bays.last!.code)), simulated with late gateways, duplicates, flapping and misreads")
        let gateway = try await token(.gateway, "demo-gateway")
        var accepted = 0
        var duplicates = 0
        let lines = simulation.events.map { $0.json(in: clock) }
        for start in stride(from: 0, to: lines.count, by: 500) {
            let body = Data(("{\"events\":[" + lines[start..<min(start + 500, lines.count)].joined(separator: ",") + "]}").utf8)
            let reply = try await client.send(.POST, "/v1/gateway/events", body: body, token: gateway).decode(Ingested.self)
            accepted += reply.accepted
            duplicates += reply.duplicates
        }
        output("  POST /v1/gateway/events: \(lines.count) events in batches of 500 -> \(accepted) stored, \(duplicates) repeats acknowledged once")
        try await jobs.fuse()
        let admin = try await token(.admin, "demo")
        let sessions = try await allSessions(token: admin)
        let closed = sessions.filter { $0.status == "closed" }.count
        output("  Fused into \(sessions.count) parking sessions (\(closed) closed); \(sessions.filter(\.needsPatrol).count) wait for patrol (device outage)")

        if let plate = try await passHolder(sessions) {
            let month = String(day.description.prefix(7))
            let added = try await client.post("/v1/admin/permits", json: [
                "id": "MP-DEMO-1", "kind": "monthly", "plate": plate, "from": "\(month)-01T00:00:00+08:00", "until": "2100-01-01T00:00:00+08:00",
                "note": "月租停车证",
            ], token: try await token(.operator, "demo-operator"))
            output("  Operator adds a monthly pass for \(plate) (POST /v1/admin/permits) -> \(added.status)")
        }
        let round = try await jobs.bill()
        let reasons = round.noBill.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.replacingOccurrences(of: "_", with: " "))" }.joined(separator: ", ")
        output("")
        output("Billing job: \(round.issued) bills issued; no bill for \(reasons)")
        let finance = try await token(.finance, "demo-finance")
        let bills = try await allBills(token: finance)
        let owing = bills.filter { $0.amountDueFen > 0 }
        output("  Bills asking for money: \(owing.count); zero bills that say why (exempt vehicles, permits): \(bills.count - owing.count)")
        if let example = owing.first(where: { $0.lines.count > 2 }) ?? owing.first {
            output("  Bill \(example.number), \(example.plate): \(Money.display(example.amountDueFen))")
            for line in example.lines { output("    \(Money.display(line.amountFen))  \(line.description)") }
        }
        let sent = try await jobs.sendNotices()
        output("  Notices sent from the outbox: \(sent), each with a short payment link and its QR code (PNG)")
        if let notice = try firstNotice() { output("    " + notice) }

        output("")
        output("Paying: citizens through WeChat Pay, Alipay and UnionPay, patrol in cash; one bill in five left unpaid")
        let patrol = try await token(.patrol, "demo-officer")
        var segments: [String] = []
        for bay in bays where !segments.contains(bay.segmentID) { segments.append(bay.segmentID) }
        let supervisor = try await token(.operator, "demo-operator")
        _ = try await client.post("/v1/admin/beats", json: ["id": "DEMO", "name": "演示巡检片区", "segments": segments], token: supervisor)
        _ = try await client.send(.PUT, "/v1/admin/staff/demo-officer/beats", body: Data(#"{"beats":["DEMO"]}"#.utf8), token: supervisor)
        _ = try await client.post("/v1/patrol/shifts", json: ["beat_id": "DEMO"], token: patrol)
        var paid: [String: (count: Int, fen: Int)] = [:]
        var wechatLines: [String] = []
        var firstWeChat: (payment: String, transaction: String, fen: Int, bill: String)?
        for (index, bill) in owing.enumerated() {
            let channel: PaymentChannel? = switch index % 10 {
            case 0, 1, 2, 3: .wechat
            case 4, 5: .alipay
            case 6: .unionpay
            case 7: .cash
            default: nil
            }
            guard let channel else { continue }
            let created = try await client.post("/v1/pay/payments", json: ["channel": channel.rawValue, "bills": [bill.number]], token: channel == .cash ? patrol : nil)
                .decode(Payment.self)
            let transaction = "T\(day.description.filter(\.isNumber))\(String(format: "%05d", index))"
            if channel != .cash {
                try await notify(channel, payment: created.id, transaction: transaction, fen: created.amountFen, now: now)
            }
            if channel == .wechat {
                wechatLines.append("`\(day) 18:00:00,`wx0000000000000001,`1900000001,`,`,`\(transaction),`\(created.id),`o0001,`NATIVE,`SUCCESS,`CMB_DEBIT,`CNY,`\(Money.yuan(created.amountFen))")
                if firstWeChat == nil { firstWeChat = (created.id, transaction, created.amountFen, bill.number) }
            }
            paid[channel.rawValue, default: (0, 0)].count += 1
            paid[channel.rawValue, default: (0, 0)].fen += created.amountFen
        }
        for (channel, total) in paid.sorted(by: { $0.key < $1.key }) {
            output("  \(channel): \(total.count) bills, \(Money.display(total.fen))")
        }
        if let first = firstWeChat {
            let again = try await signedWeChat(payment: first.payment, transaction: first.transaction, fen: first.fen, now: now, forged: false)
            let forged = try await signedWeChat(payment: first.payment, transaction: first.transaction, fen: first.fen, now: now, forged: true)
            output("  The same WeChat notification again -> \(again) (settled once); one signed with another key -> \(forged) (refused)")
            let refund = try await client.post("/v1/admin/bills/\(first.bill)/refunds", json: [
                "amount_fen": min(100, first.fen), "reason": "投诉属实：离场时间晚记 10 分钟", "waive": true,
            ], token: finance)
            output("  Finance refunds \(Money.display(min(100, first.fen))) of bill \(first.bill) -> \(refund.status), recorded in the ledger and the audit log")
        }
        let offlineCash = try await streetActions(owing: owing, sessions: sessions, bays: bays, patrol: patrol)
        struct Closed: Decodable { var cashCountedFen: Int; var cashInLedgerFen: Int; var cashDifferenceFen: Int }
        let cash = (paid[PaymentChannel.cash.rawValue]?.fen ?? 0) + offlineCash
        let handover = try await client.post("/v1/patrol/shift/close", json: ["cash_counted_fen": cash], token: patrol).decode(Closed.self)
        output("  The officer closes the shift: cash counted \(Money.display(handover.cashCountedFen)), in the ledger \(Money.display(handover.cashInLedgerFen)), difference \(Money.display(handover.cashDifferenceFen))")
        let unpaid = try await allBills(token: finance).filter { $0.status == "unpaid" }
        output("  Left unpaid: \(unpaid.count) bills, \(Money.display(unpaid.reduce(0) { $0 + $1.outstandingFen })) outstanding, for enforcement")

        let statement = "交易时间,公众账号ID,商户号,子商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,订单金额\n"
            + wechatLines.joined(separator: "\n") + "\n"
        let today = jobs.clock.today
        let reconciled = try await client.send(
            .POST, "/v1/admin/reconciliations?channel=wechat&day=\(today)", body: Data(statement.utf8), contentType: "text/csv", token: finance
        ).decode(Reconciled.self)
        output("")
        output("Reconciliation of WeChat Pay's statement: \(reconciled.matched) payments matched, \(reconciled.differences.count) differences")

        let totals = try await CurbsideStore.Bills(store: jobs.store, database: jobs.app.db).totals()
        func total(_ kind: LedgerEntry.Kind) -> Int { totals[kind] ?? 0 }
        let outstanding = total(.receivable) - total(.exemption) - total(.discount) - total(.writeOff) - total(.received) + total(.refund)
        output("Ledger: receivable \(Money.display(total(.receivable))), exempted \(Money.display(total(.exemption))), received \(Money.display(total(.received))), "
               + "discounts \(Money.display(total(.discount))), refunds \(Money.display(total(.refund))); outstanding \(Money.display(outstanding))")
        try await concessionReport(month: String(today.description.prefix(7)), ledger: totals)
        try await cityView(day: day, clock: clock, sessions: sessions.filter { $0.status != "void" }.count)
    }

    /// A plate for the monthly pass, chosen for what the demo shows: one stay
    /// that day, closed, seen throughout and long enough to cost something
    /// (asked of the quote API), by a car that pays, so that its bill is the
    /// one zero bill the pass explains.
    func passHolder(_ sessions: [Session]) async throws -> String? {
        let byPlate = Dictionary(grouping: sessions.filter { $0.plate != nil }, by: { $0.plate!.text })
        for (text, stays) in byPlate.sorted(by: { $0.key < $1.key }) where stays.count == 1 {
            let stay = stays[0]
            guard stay.status == "closed", stay.billable, !stay.needsPatrol, let end = stay.end,
                  let plate = try? CurbsideCore.Plate(parsing: text), let colour = PlateColour(rawValue: stay.plate!.colour),
                  VehicleClass.of(plate, colour: colour) != .exempt
            else { continue }
            struct Quote: Decodable { var amountFen: Int }
            let path = "/v1/bays/\(stay.bay)/quote?from=\(Self.query(stay.start))&until=\(Self.query(end))"
            if try await client.get(path).decode(Quote.self).amountFen > 0 { return text }
        }
        return nil
    }

    /// An instant as a query value: its `+` must be escaped, or it arrives as a space.
    static func query(_ instant: String) -> String {
        instant.replacingOccurrences(of: "+", with: "%2B")
    }

    func token(_ role: Role, _ subject: String) async throws -> String {
        try await CurbsideApp.localToken(Principal(subject: subject, role: role), validFor: 3600, store: jobs.store, database: jobs.app.db, configuration: configuration)
    }

    func registryBays() throws -> [SimulatedBay] {
        let files = try FileManager.default.contentsOfDirectory(atPath: configuration.zonesDirectory).filter { $0.hasSuffix(".geojson") }.sorted()
        return try files.flatMap { file in
            SimulatedBay.all(in: RegistryGeoJSON.read(try Data(contentsOf: URL(fileURLWithPath: configuration.zonesDirectory + "/" + file))).0)
        }
    }

    func allSessions(token: String) async throws -> [Session] {
        var sessions: [Session] = []
        var after: String?
        repeat {
            let page = try await client.get("/v1/admin/sessions?limit=1000" + (after.map { "&after=\($0)" } ?? ""), token: token).decode(Sessions.self)
            sessions += page.items
            after = page.nextAfter
        } while after != nil
        return sessions
    }

    func allBills(token: String) async throws -> [Bill] {
        let from = "2000-01-01T00:00:00Z"
        let until = "2100-01-01T00:00:00Z"
        var bills: [Bill] = []
        var after: String?
        repeat {
            let page = try await client.get("/v1/admin/bills?from=\(from)&until=\(until)&limit=1000" + (after.map { "&after=\($0)" } ?? ""), token: token)
                .decode(Bills.self)
            bills += page.items
            after = page.nextAfter
        } while after != nil
        return bills
    }

    func notify(_ channel: PaymentChannel, payment: String, transaction: String, fen: Int, now: Int64) async throws {
        switch channel {
        case .wechat:
            _ = try await signedWeChat(payment: payment, transaction: transaction, fen: fen, now: now, forged: false)
        case .alipay:
            let form = try channels.alipay(payment: payment, transaction: transaction, yuan: Money.yuan(fen))
            _ = try await client.send(.POST, "/v1/channels/alipay/notify", body: form, contentType: "application/x-www-form-urlencoded")
        default:
            let signed = channels.acquirer(payment: payment, transaction: transaction, fen: fen, at: now)
            _ = try await client.send(.POST, "/v1/channels/acquirer/\(channel.rawValue)/notify", body: signed.body, headers: signed.headers)
        }
    }

    func signedWeChat(payment: String, transaction: String, fen: Int, now: Int64, forged: Bool) async throws -> Int {
        let signed = try channels.weChat(payment: payment, transaction: transaction, fen: fen, at: now, signer: forged ? channels.forgerKey : nil)
        return try await client.send(.POST, "/v1/channels/wechat/notify", body: signed.body, headers: signed.headers).status
    }

    /// The first notice the outbox delivered, as its recipient reads it.
    func firstNotice() throws -> String? {
        guard case let .directory(path) = configuration.notices else { return nil }
        let files = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        guard let text = files.first(where: { $0.hasSuffix(".txt") }) else { return nil }
        let png = files.first { $0.hasSuffix(".png") }.flatMap { try? FileManager.default.attributesOfItem(atPath: path + "/" + $0)[.size] as? Int }
        let body = try String(contentsOfFile: path + "/" + text, encoding: .utf8).split(separator: "\n").dropFirst().first.map(String.init) ?? ""
        return body + (png.map { "  [QR code: \($0) bytes of PNG]" } ?? "")
    }
}
