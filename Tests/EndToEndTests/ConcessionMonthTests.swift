import CurbsideAPI
import CurbsideCore
import CurbsideRender
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing

/// A month of the sample district, end to end: thirty simulated days of
/// device events (the simulator and settings that made Fixtures/day) go in
/// over HTTP, are folded and billed each night, and bills are paid through
/// signed channel notifications, some on time, some after they fell due, a
/// few partly refunded. The November report must then equal the ledger
/// exactly, however it is cut, through the API, its drill-down, its CSV and
/// `curbside report`.
@Suite("Concession month, end to end", .ownThread)
struct ConcessionMonthTests {
    static let zone = ZoneClock(identifier: "Asia/Shanghai")!
    static let channels = PaymentChannelSimulator.shared
    static let paidThrough: [PaymentChannel] = [.wechat, .alipay, .unionpay, .bankCard, .etc]

    /// Four bays of each zone class.
    static func bays() throws -> [SimulatedBay] {
        let document = try RegistryGeoJSON.read(Data(contentsOf: URL(fileURLWithPath: RepositoryPaths.zones + "/heshan-shaping.geojson")), cityTimeZone: "Asia/Shanghai").0
        let all = SimulatedBay.all(in: document)
        return ZoneClass.allCases.flatMap { zoneClass in all.filter { $0.zoneClass == zoneClass }.prefix(4) }
    }

    static func date(_ day: Int, hour: Int, minute: Int = 0) -> Date {
        Date(timeIntervalSince1970: TimeInterval(zone.utc(fromLocal: Int64(day) * 86_400 + Int64(hour * 3600 + minute * 60))))
    }

    static func hash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    /// Days from 31 October to 29 November, each billed at 00:30 the next morning and paid from 10:00, so every entry falls in November.
    func simulateMonth(_ app: TestApp) async throws {
        let bays = try Self.bays()
        let gateway = try await app.token(.gateway, subject: "gw-month")
        let finance = try await app.client(as: .finance, subject: "month-finance")
        var payments: [Int: [(bill: String, fen: Int)]] = [:]
        let first = LocalDate("2026-10-31")!.dayNumber
        for day in first..<(first + 30) {
            let simulation = DaySimulator(bays: bays, settings: .init(day: LocalDate(dayNumber: day), clock: Self.zone, seed: UInt64(day))).run()
            app.clock.now = Self.date(day + 1, hour: 0, minute: 30)
            // Devices number their events on; the simulator starts each day at 1.
            let lines = simulation.events.map { event in
                var event = event
                event.eventID = "\(day)-\(event.eventID)"
                return event.json(in: Self.zone)
            }
            for start in stride(from: 0, to: lines.count, by: 1000) {
                let body = Data(("{\"events\":[" + lines[start..<min(start + 1000, lines.count)].joined(separator: ",") + "]}").utf8)
                let reply = try await app.request(.POST, "/v1/gateway/events", body: body, token: gateway)
                #expect(reply.status == 200, "\(reply.text)")
            }
            try await app.fuse()
            let round = try await app.bill()
            #expect(round.issued > 0 || day == first)
            let window = Operations.ListBills.Input.Query(from: app.clock.now.addingTimeInterval(-1), until: app.clock.now.addingTimeInterval(1), limit: 1000)
            let issued = try await finance.listBills(query: window).ok.body.json
            #expect(issued.items.count == round.issued)
            for bill in issued.items where bill.outstandingFen > 0 {
                // Nearly half paid the same morning, one in six ten days later (three days overdue), the rest left unpaid.
                switch Self.hash(bill.number) % 100 {
                case 0..<45: payments[day + 1, default: []].append((bill.number, bill.outstandingFen))
                case 45..<62: payments[day + 11, default: []].append((bill.number, bill.outstandingFen))
                default: break
                }
            }
            app.clock.now = Self.date(day + 1, hour: 10)
            for (index, bill) in (payments[day + 1] ?? []).enumerated() {
                try await pay(bill.bill, fen: bill.fen, through: Self.paidThrough[Int(Self.hash(bill.bill) % 5)], app)
                if index % 9 == 4, bill.fen >= 100 {
                    _ = try await finance.refundBill(path: .init(number: bill.bill), body: .json(.init(amountFen: 100, reason: "投诉属实", waive: true))).created
                }
            }
        }
        app.clock.now = Self.date(LocalDate("2026-12-01")!.dayNumber, hour: 12)
    }

    func pay(_ bill: String, fen: Int, through channel: PaymentChannel, _ app: TestApp) async throws {
        let citizen = try await app.client()
        let payment = try await citizen.createPayment(body: .json(.init(channel: try #require(.init(rawValue: channel.rawValue)), bills: [bill]))).created.body.json.id
        let seconds = Int64(app.clock.now.timeIntervalSince1970)
        let transaction = "T" + payment
        switch channel {
        case .wechat:
            _ = try await citizen.wechatNotify(try Self.channels.weChat(payment: payment, transaction: transaction, fen: fen, at: seconds)).noContent
        case .alipay:
            _ = try await citizen.alipayNotify(try Self.channels.alipay(payment: payment, transaction: transaction, yuan: Money.yuan(fen))).ok
        default:
            _ = try await citizen.acquirerNotify(channel, Self.channels.acquirer(payment: payment, transaction: transaction, fen: fen, at: seconds)).noContent
        }
    }

    typealias Report = Components.Schemas.RevenueReport
    typealias Figures = Components.Schemas.ReportFigures

    @Test("November's report equals the ledger however it is cut: totals, days, zones, segments, channels, arrears and the share", arguments: StoreKind.testCases)
    func month(kind: StoreKind) async throws {
        let clock = TestClock(Self.date(LocalDate("2026-11-01")!.dayNumber, hour: 0))
        try await withTestApp(kind, clock: clock, configure: { configuration in
            configuration.backgroundJobs = false
            configuration.channels = Self.channels.settings
            configuration.billing.dueDays = 7
        }) { app in
            try await simulateMonth(app)
            let report = try await app.client(as: .finance).getMonthReport(path: .init(month: "2026-11")).ok.body.json
            let sql = app.database.sql

            // Totals: the ledger's own sums, kind by kind; every entry was written in November.
            struct Sum: Decodable { var kind: String; var fen: Int64; var n: Int }
            let ledger = Dictionary(uniqueKeysWithValues: try await sql.raw("SELECT kind, CAST(SUM(amount_fen) AS BIGINT) AS fen, COUNT(*) AS n FROM ledger_entries GROUP BY kind")
                .all(decoding: Sum.self).map { ($0.kind, $0) })
            #expect(report.totals.receivableFen == ledger["receivable"]?.fen ?? -1)
            #expect(report.totals.exemptionsFen == ledger["exemption"]?.fen ?? 0)
            #expect(report.totals.discountsFen == ledger["discount"]?.fen ?? -1)
            #expect(report.totals.receivedFen == ledger["received"]?.fen ?? -1)
            #expect(report.totals.refundsFen == ledger["refund"]?.fen ?? -1)
            #expect(report.totals.writeOffsFen == 0)
            #expect(report.totals.entries == ledger.values.reduce(0) { $0 + $1.n })
            #expect(report.totals.receivableFen > 100_000 && report.totals.refundsFen > 0 && report.totals.arrearsRecoveredFen > 0)

            // Every breakdown adds up to the totals.
            for rows in [report.days, report.zones, report.segments] {
                #expect(rows.reduce(Figures.zero) { $0 + $1.figures } == report.totals)
            }
            #expect(report.days.count == 30 && report.zones.map(\.key) == ["SP1", "SP2", "SP3"])

            // Channels: what each channel's payments brought in.
            struct Channel: Decodable { var channel: String; var fen: Int64 }
            let byChannel = try await sql.raw("""
                SELECT p.channel AS channel, CAST(SUM(e.amount_fen) AS BIGINT) AS fen FROM ledger_entries e JOIN payments p ON p.id = e.reference
                WHERE e.kind = 'received' GROUP BY p.channel
                """).all(decoding: Channel.self)
            #expect(Dictionary(uniqueKeysWithValues: report.channels.map { ($0.key, $0.figures.receivedFen) }) == Dictionary(uniqueKeysWithValues: byChannel.map { ($0.channel, $0.fen) }))
            #expect(report.channels.reduce(0) { $0 + $1.figures.refundsFen } == report.totals.refundsFen)

            // Arrears: what overdue bills still owe, as the bills themselves say; recovered is what was paid after falling due.
            struct Owed: Decodable { var fen: Int64? }
            let monthEnd = Int64(Self.date(LocalDate("2026-12-01")!.dayNumber, hour: 0).timeIntervalSince1970 * 1000)
            let overdue = try await sql.raw("SELECT CAST(SUM(outstanding_fen) AS BIGINT) AS fen FROM bills WHERE due_ms < \(bind: monthEnd)").first(decoding: Owed.self)
            #expect(report.arrearsOpeningFen == 0)
            #expect(report.arrearsClosingFen == overdue?.fen ?? 0 && report.arrearsClosingFen > 0)
            #expect(report.days.last?.arrearsFen == report.arrearsClosingFen)
            let recovered = try await sql.raw("""
                SELECT CAST(SUM(e.amount_fen) AS BIGINT) AS fen FROM ledger_entries e JOIN bills b ON b.number = e.bill_number WHERE e.kind = 'received' AND e.at_ms > b.due_ms
                """).first(decoding: Owed.self)
            #expect(report.totals.arrearsRecoveredFen == recovered?.fen ?? -1)

            // The share: the contract's tiers on money received less refunds, nothing before November in this contract year.
            let contract = try #require(try app.configuration.concessionContract())
            let net = report.totals.receivedFen - report.totals.refundsFen
            #expect(report.share.basisFen == net && report.share.yearToDateBeforeFen == 0)
            #expect(report.share.shareFen == Int64(contract.share.share(ofYearToDate: Int(net))) && report.share.guaranteeTopUpFen == 0 && report.share.due)

            // KPIs, each worked out again here from the stored rows, stay by stay.
            struct Stay: Decodable { var bay_code: String; var start_ms: Int64; var end_ms: Int64?; var quality: String }
            struct Bay: Decodable { var code: String; var camera_id: String? }
            struct Count: Decodable { var n: Int }
            let monthStart = monthEnd - 30 * 86_400_000
            let stays = try await sql.raw("""
                SELECT bay_code, start_ms, end_ms, quality FROM parking_sessions WHERE status <> 'void' AND start_ms < \(bind: monthEnd)
                """).all(decoding: Stay.self)
            let bays = try await sql.raw("SELECT code, camera_id FROM bays WHERE lifecycle = 'active'").all(decoding: Bay.self)
            let cameraBays = Set(bays.filter { $0.camera_id != nil }.map(\.code))
            let started = stays.filter { $0.start_ms >= monthStart }
            // Occupied time between 08:00 and 20:00 local (UTC+8) each day; open stays run to the report's time, after the month.
            var occupied: Int64 = 0
            for stay in stays {
                for day in 0..<30 {
                    let opens = monthStart + Int64(day) * 86_400_000 + 8 * 3_600_000, closes = opens + 12 * 3_600_000
                    occupied += max(0, min(stay.end_ms ?? monthEnd, closes) - max(stay.start_ms, opens))
                }
            }
            let issued = try await sql.raw("SELECT COUNT(*) AS n FROM bills WHERE issued_ms >= \(bind: monthStart) AND issued_ms < \(bind: monthEnd)")
                .first(decoding: Count.self)?.n ?? -1
            let kpis = Dictionary(uniqueKeysWithValues: report.kpis.map { ($0.kpi.rawValue, $0) })
            let expected: [String: (Int64, Int64)] = [
                "occupancy_rate": (occupied, Int64(bays.count) * 30 * 12 * 3_600_000),
                "turnover": (Int64(started.count), Int64(bays.count) * 30),
                "plate_read_rate": (Int64(started.filter { cameraBays.contains($0.bay_code) && $0.quality == "video_confirmed" }.count),
                                    Int64(started.filter { cameraBays.contains($0.bay_code) }.count)),
                "arrears_recovery_rate": (Int64(report.totals.arrearsRecoveredFen), Int64(report.totals.arrearsRecoveredFen + report.arrearsClosingFen)),
                "appeal_rate": (0, Int64(issued)),
            ]
            for (name, (numerator, denominator)) in expected {
                #expect(kpis[name]?.numerator == numerator && kpis[name]?.denominator == denominator, "\(name): \(String(describing: kpis[name]))")
            }
            #expect(occupied > 0 && kpis["plate_read_rate"]?.valueHundredths ?? 0 > 8_000)
            for kpi in report.kpis where kpi.kpi != .turnover {
                #expect((0...10_000).contains(kpi.valueHundredths ?? 0), "\(kpi.kpi)")
            }
            for zone in ["SP1", "SP2", "SP3"] {
                let hours = try #require(report.hourlyOccupancy.additionalProperties[zone])
                #expect(hours.count == 24 && hours.allSatisfy { (0...10_000).contains($0) } && hours.contains { $0 > 0 })
            }

            try await drillDown(report, app)
            try await files(report, app)
            try await command(app)
            try await daySums(app)
        }
    }

    /// The report read from the day sums equals the report summed from every entry and stay:
    /// with every ledger write's and fusion round's deltas still pending, and with them folded into the sums.
    func daySums(_ app: TestApp) async throws {
        let contract = try #require(try app.configuration.concessionContract())
        let now = Int64(app.clock.now.timeIntervalSince1970 * 1000)
        let sums = ReportQueries(store: app.store, database: app.database)
        var everyEntry = sums
        everyEntry.useRollups = false
        let periods: [ReportPeriod] = [
            .month(ReportMonth("2026-11")!), .month(ReportMonth("2026-10")!), .day(LocalDate("2026-11-12")!), ReportPeriod(first: LocalDate("2026-11-20")!, last: LocalDate("2026-12-05")!),
        ]
        func same() async throws {
            for period in periods {
                let fromSums = try await sums.report(contract, period: period, now: now)
                let fromEntries = try await everyEntry.report(contract, period: period, now: now)
                #expect(fromSums == fromEntries, "\(period)")
            }
        }
        struct Count: Decodable { var n: Int }
        let sql = app.database.sql
        let pending = try await sql.raw("SELECT COUNT(*) AS n FROM ledger_rollup_deltas").first(decoding: Count.self)?.n ?? 0
        #expect(pending > 1_000)
        #expect(try await sql.raw("SELECT COUNT(*) AS n FROM occupied_quarter_deltas").first(decoding: Count.self)?.n ?? 0 > 1_000)
        try await same()
        let rollups = ReportRollups(store: app.store, database: app.database)
        while try await rollups.consolidate(limit: 700) > 0 {}
        let stays = StayRollups(store: app.store, database: app.database)
        while try await stays.consolidate(limit: 700) > 0 {}
        #expect(try await sql.raw("SELECT COUNT(*) AS n FROM ledger_rollup_deltas").first(decoding: Count.self)?.n == 0)
        #expect(try await sql.raw("SELECT COUNT(*) AS n FROM occupied_quarter_deltas").first(decoding: Count.self)?.n == 0)
        let kept = try await sql.raw("SELECT COUNT(*) AS n FROM ledger_rollups").first(decoding: Count.self)?.n ?? 0
        #expect(kept > 100 && kept < pending)
        let zoneDays = try await sql.raw("SELECT COUNT(*) AS n FROM ledger_zone_days").first(decoding: Count.self)?.n ?? 0
        let segmentMonths = try await sql.raw("SELECT COUNT(*) AS n FROM ledger_segment_months").first(decoding: Count.self)?.n ?? 0
        #expect(zoneDays > 30 && zoneDays <= kept && segmentMonths > 10 && segmentMonths < kept, "\(zoneDays) \(segmentMonths) \(kept)")
        try await same()
        // The sums are what the report reads: one fen more in any of them shows, in the periods that read it.
        let november12 = Int32(LocalDate("2026-11-12")!.dayNumber), november = Int32(LocalDate("2026-11-01")!.dayNumber)
        let tampering: [(SQLQueryString, ReportPeriod)] = [
            ("UPDATE ledger_rollups SET fen = fen + 1 WHERE kind = 'received' AND day = \(bind: november12)", periods[2]),
            ("UPDATE ledger_zone_days SET fen = fen + 1 WHERE kind = 'received' AND day = \(bind: november12)", periods[0]),
            ("UPDATE ledger_segment_months SET fen = fen + 1 WHERE kind = 'received' AND month_day = \(bind: november)", periods[0]),
            ("UPDATE ledger_segment_months SET fen = fen + 1 WHERE kind = 'arrears' AND month_day = \(bind: november)", periods[3]),
        ]
        for (update, period) in tampering {
            try await sql.raw(update).run()
            let changed = try await sums.report(contract, period: period, now: now)
            #expect(try await changed != everyEntry.report(contract, period: period, now: now), "\(update)")
        }
    }

    /// The entries behind a figure sum to it, page by page.
    func drillDown(_ report: Report, _ app: TestApp) async throws {
        let base = "/v1/reports/ledger?from=2026-11-01&to=2026-11-30"
        let auditor = try await app.client(as: .auditor)
        let finance = try await app.client(as: .finance)
        let sp1 = try #require(report.zones.first { $0.key == "SP1" })
        var after: Int64 = 0
        var listed: [Components.Schemas.ReportEntry] = []
        var counts: Set<Int> = []
        repeat {
            let page = try await auditor.listReportEntries(query: .init(from: "2026-11-01", to: "2026-11-30", kind: .received, zone: "SP1", after: after, limit: 100)).ok.body.json
            #expect(page.sumFen == sp1.figures.receivedFen)
            counts.insert(page.count)
            listed += page.items
            after = page.nextAfter ?? 0
        } while after != 0
        #expect(counts == [listed.count] && listed.count > 100)
        #expect(listed.reduce(0) { $0 + $1.amountFen } == sp1.figures.receivedFen && listed.allSatisfy { $0.zoneId == "SP1" })
        #expect(Set(listed.map(\.id)).count == listed.count)

        let wechat = try #require(report.channels.first { $0.key == "wechat" })
        let refunds = try await finance.listReportEntries(query: .init(from: "2026-11-01", to: "2026-11-30", kind: .refund, channel: .wechat, limit: 1000)).ok.body.json
        #expect(refunds.sumFen == wechat.figures.refundsFen && refunds.items.allSatisfy { $0.channel == .wechat })
        let recovered = try await finance.listReportEntries(query: .init(from: "2026-11-01", to: "2026-11-30", kind: .received, overdue: true)).ok.body.json
        #expect(recovered.sumFen == report.totals.arrearsRecoveredFen)
        let day = try #require(report.days.first { $0.figures.receivableFen > 0 })
        let issued = try await finance.listReportEntries(query: .init(from: day.key, to: day.key, kind: .receivable, limit: 1)).ok.body.json
        #expect(issued.sumFen == day.figures.receivableFen)

        #expect(try await app.get(base + "&kind=received", as: .patrol).status == 403)
        #expect(try await app.get("/v1/reports/ledger?from=2026-11-31&to=2026-11-30&kind=received", as: .finance).errorCode == "invalid_from")
        #expect(try await app.get("/v1/reports/months/2026-13", as: .finance).errorCode == "invalid_month")
        let dayReport = try await finance.getDayReport(path: .init(date: day.key)).ok.body.json
        #expect(dayReport.totals == day.figures && dayReport.days.count == 1)
    }

    /// The CSV tables and charts say the same.
    func files(_ report: Report, _ app: TestApp) async throws {
        let summary = try await app.get("/v1/reports/months/2026-11/csv/summary", as: .finance)
        #expect(summary.status == 200 && summary.headers.first(name: "Content-Type")?.hasPrefix("text/csv") == true)
        #expect(summary.text.contains("received_yuan,\(Money.yuan(Int(report.totals.receivedFen))),,\r\n"))
        #expect(summary.text.contains("share_owed_yuan,\(Money.yuan(Int(report.share.owedFen))),,\r\n"))
        let days = try await app.get("/v1/reports/months/2026-11/csv/days", as: .finance).text.split(separator: "\r\n")
        #expect(days.count == 31 && days[0].hasPrefix("date,receivable_yuan,"))
        // The heat map has a row per zone.
        for (chart, minimumWidth, height) in [("revenue", 480, 400), ("occupancy", 420, 56 + 3 * 26 + 56)] {
            let png = try await app.get("/v1/reports/months/2026-11/charts/\(chart)", as: .operator)
            #expect(png.headers.first(name: "Content-Type") == "image/png")
            let image = try PNGImage.decode(Array(png.body), as: .rgb)
            #expect(image.width >= minimumWidth && image.height == height)
        }
    }

    /// `curbside report` writes the same tables from the same database.
    func command(_ app: TestApp) async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-report-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        var environment = ["CURBSIDE_TARIFFS_DIR": RepositoryPaths.tariffs, "CURBSIDE_LOG_LEVEL": "warning", "CURBSIDE_DATA_DIR": out + "-data"]
        switch app.configuration.store.location {
        case let .sqlite(path): environment["CURBSIDE_SQLITE_PATH"] = path
        case let .postgres(url): environment["DATABASE_URL"] = url
        }
        defer { try? FileManager.default.removeItem(atPath: out + "-data") }
        let result = try await ChildProcess.run(ChildProcess.curbside, ["report", "--month", "2026-11", "--out", out], environment: environment)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("share owed to 鹤山市城乡市政服务有限公司"))
        let written = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(written == ["channels.csv", "days.csv", "occupancy.csv", "occupancy.png", "revenue.png", "segments.csv", "summary.csv", "zones.csv"])
        for table in ["days", "zones", "segments", "channels"] {
            let api = try await app.get("/v1/reports/months/2026-11/csv/\(table)", as: .finance).text
            #expect(try String(contentsOfFile: out + "/\(table).csv", encoding: .utf8) == api, "\(table).csv")
        }
        let refused = try await ChildProcess.run(ChildProcess.curbside, ["report", "--month", "2026-13", "--out", out], environment: environment)
        #expect(refused.status != 0 && refused.output.contains("not a month"))
    }
}

extension Components.Schemas.ReportFigures {
    /// No entries.
    static let zero = Self(
        receivableFen: 0, exemptionsFen: 0, discountsFen: 0, receivedFen: 0, refundsFen: 0, writeOffsFen: 0, arrearsRecoveredFen: 0,
        netReceivedFen: 0, netReceivableFen: 0, entries: 0
    )

    static func + (a: Self, b: Self) -> Self {
        Self(
            receivableFen: a.receivableFen + b.receivableFen, exemptionsFen: a.exemptionsFen + b.exemptionsFen, discountsFen: a.discountsFen + b.discountsFen,
            receivedFen: a.receivedFen + b.receivedFen, refundsFen: a.refundsFen + b.refundsFen, writeOffsFen: a.writeOffsFen + b.writeOffsFen,
            arrearsRecoveredFen: a.arrearsRecoveredFen + b.arrearsRecoveredFen, netReceivedFen: a.netReceivedFen + b.netReceivedFen,
            netReceivableFen: a.netReceivableFen + b.netReceivableFen, entries: a.entries + b.entries
        )
    }
}
