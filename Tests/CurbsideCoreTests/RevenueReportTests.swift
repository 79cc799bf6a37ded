import CurbsideCore
import CurbsideTestThreads
import PropertyBased
import Testing

/// The report built from the store's sums: breakdowns that add up to the
/// totals, arrears read at each day's end, occupancy split exactly across
/// quarter-hours, device uptime and KPI arithmetic.
@Suite("Revenue report", .ownThread)
struct RevenueReportTests {
    static let clock = ZoneClock(identifier: "Asia/Shanghai")!
    static let november = ReportPeriod.month(ReportMonth("2026-11")!)

    static var contract: ConcessionContract {
        ConcessionContract(
            id: "test", name: "test", concessionaire: "c", grantor: "g", timeZone: "Asia/Shanghai", from: LocalDate("2026-01-01")!, until: LocalDate("2030-12-31")!,
            yearStartMonth: 1, period: .month, share: RevenueShareTests.share, assessedMinutes: 480..<1200,
            targets: [KPITarget(kpi: .occupancyRate, comparison: .atLeast, hundredths: 4_500), KPITarget(kpi: .appealRate, comparison: .atMost, hundredths: 200)]
        )
    }

    @Test("Days, zones, segments and channels each add up to the totals", .timeLimit(.minutes(1)))
    func breakdownsAddUp() async {
        let first = Self.november.first.dayNumber
        await propertyCheck(count: 100, input: Gen.int(in: 0...Int.max / 2).array(of: 0...60)) { codes in
            var facts = ReportFacts()
            // Each coded entry as the store sums it twice: by day, and by segment over the period.
            for code in codes {
                let kind = LedgerEntry.Kind.allCases[code % 6]
                let (zone, overdue, fen) = (["SP1", "SP2"][(code / 180) % 2], (code / 12_600) % 2 == 0, (code / 25_200) % 10_000)
                facts.flows.append(ReportFacts.Flow(
                    day: first + (code / 6) % 30, zone: zone,
                    channel: kind == .received || kind == .refund ? PaymentChannel.allCases[(code / 1800) % 7] : nil, kind: kind,
                    overdue: overdue, fen: fen, entries: 1
                ))
                facts.segmentFlows.append(.init(zone: zone, segment: "S\((code / 360) % 5)", kind: kind, overdue: overdue, fen: fen, entries: 1))
            }
            let report = RevenueReport(contract: Self.contract, period: Self.november, facts: facts, clock: Self.clock)
            for rows in [report.days, report.zones, report.segments] {
                var sum = LedgerFigures()
                rows.forEach { sum.add($0.figures) }
                #expect(sum == report.totals)
            }
            #expect(report.channels.reduce(0) { $0 + $1.figures.receivedFen } == report.totals.receivedFen)
            #expect(report.channels.reduce(0) { $0 + $1.figures.refundsFen } == report.totals.refundsFen)
            #expect(report.totals.entries == codes.count)
            #expect(report.days.count == 30)
        }
    }

    @Test("Arrears open with what was overdue before the period and are read at each day's end")
    func arrears() {
        var facts = ReportFacts()
        let day = Self.november.first.dayNumber
        facts.arrears = [
            .init(day: nil, zone: "SP1", fen: 1_000),
            .init(day: day + 2, zone: "SP1", fen: 500),
            .init(day: day + 4, zone: "SP2", fen: -700),
        ]
        facts.segmentArrears = [.init(zone: "SP1", segment: "A", fen: 1_500), .init(zone: "SP2", segment: "B", fen: -700)]
        let report = RevenueReport(contract: Self.contract, period: Self.november, facts: facts, clock: Self.clock)
        #expect(report.arrearsOpeningFen == 1_000)
        #expect(report.days.map(\.arrearsFen).prefix(6) == [1_000, 1_000, 1_500, 1_500, 800, 800])
        #expect(report.arrearsClosingFen == 800)
        #expect(report.zones.map(\.arrearsFen) == [1_500, -700])
        #expect(report.segments.map(\.arrearsFen) == [1_500, -700] && report.segments.map(\.zone) == ["SP1", "SP2"])
    }

    @Test("Grouped stays split across quarter-hours exactly as stay by stay", .timeLimit(.minutes(1)))
    func occupancySplit() async {
        let base: Int64 = 1_794_240_000_000 // 2026-11-10 00:00 UTC
        await propertyCheck(count: 100, input: Gen.int(in: 0...86_400_000).array(of: 1...40)) { numbers in
            let stays = stride(from: 0, to: numbers.count - 1, by: 2).map { i in
                let a = base + Int64(numbers[i]), b = base + Int64(numbers[i + 1])
                return (zone: i % 4 == 0 ? "A" : "B", start: min(a, b), end: max(a, b) + 1)
            }
            // What the database's grouping returns.
            var groups: [String: OccupancyGrid.Span] = [:]
            for stay in stays {
                let key = "\(stay.zone)|\(stay.start / OccupancyGrid.quarter)|\(stay.end / OccupancyGrid.quarter)"
                var span = groups[key] ?? OccupancyGrid.Span(
                    zone: stay.zone, startQuarter: stay.start / OccupancyGrid.quarter, endQuarter: stay.end / OccupancyGrid.quarter, count: 0, startSum: 0, endSum: 0
                )
                span.count += 1
                span.startSum += stay.start
                span.endSum += stay.end
                groups[key] = span
            }
            let grid = OccupancyGrid(spans: Array(groups.values), clock: Self.clock)
            // Stay by stay, millisecond ranges cut at each local quarter-hour.
            var expected: [String: [Int64]] = [:]
            for stay in stays {
                var row = expected[stay.zone] ?? Array(repeating: 0, count: 96)
                var t = stay.start
                while t < stay.end {
                    let next = min(stay.end, (t / OccupancyGrid.quarter + 1) * OccupancyGrid.quarter)
                    let local = (t / 1000 + 8 * 3600) % 86_400
                    row[Int(local / 900)] += next - t
                    t = next
                }
                expected[stay.zone] = row
            }
            #expect(grid.occupied == expected)
        }
    }

    @Test("Occupancy, turnover and the appeal rate read against the bays and days measured")
    func kpis() throws {
        var facts = ReportFacts()
        facts.elapsedDays = 10
        facts.elapsedQuarters = Array(repeating: 10 * OccupancyGrid.quarter, count: 96)
        facts.zones = ["SP1": .init(bays: 4, sessions: 130, cameraSessions: 60, cameraReads: 57)]
        // One bay occupied 08:00-20:00 every day of the ten: a quarter of four bays.
        let morning = Self.clock.utc(fromLocal: Int64(Self.november.first.dayNumber) * 86_400 + 8 * 3600) * 1000
        facts.occupancy = OccupancyGrid(spans: (0..<10).map { day in
            let start = morning + Int64(day) * 86_400_000
            return OccupancyGrid.Span(
                zone: "SP1", startQuarter: start / OccupancyGrid.quarter, endQuarter: (start + 43_200_000) / OccupancyGrid.quarter, count: 1, startSum: start,
                endSum: start + 43_200_000
            )
        }, clock: Self.clock)
        facts.devices.add(firstSeen: 0, onlineAtStart: true, changes: [.lost(100), .restored(150)], period: 0..<1_000)
        facts.appealsFiled = 3
        facts.billsIssued = 120
        let report = RevenueReport(contract: Self.contract, period: Self.november, facts: facts, clock: Self.clock)
        let readings = Dictionary(uniqueKeysWithValues: report.kpis.map { ($0.reading.kpi, $0) })
        #expect(readings[.occupancyRate]?.reading.hundredths == 2_500)
        #expect(readings[.occupancyRate]?.met == false)
        #expect(readings[.turnover]?.reading.hundredths == 325)
        #expect(readings[.deviceOnlineRate]?.reading.hundredths == 9_500)
        #expect(readings[.plateReadRate]?.reading.hundredths == 9_500)
        #expect(readings[.appealRate]?.reading.hundredths == 250)
        #expect(readings[.appealRate]?.met == false)
        #expect(readings[.arrearsRecoveryRate]?.reading.hundredths == nil)
        #expect(readings[.turnover]?.met == nil)
        // 08:00-09:00 local is full for one of four bays on every measured day.
        #expect(report.hourlyOccupancy["SP1"]?[8] == 2_500)
        #expect(report.hourlyOccupancy["SP1"]?[20] == 0)
    }

    @Test("A day under way is measured against the time that has passed, to the minute")
    func dayUnderWay() throws {
        let day = ReportPeriod.day(Self.november.first)
        let midnight = Self.clock.utc(fromLocal: Int64(day.first.dayNumber) * 86_400) * 1000
        // 14:05 local: 56 quarters gone, five minutes of the 57th.
        let now = midnight + (14 * 60 + 5) * 60_000
        let elapsed = day.elapsedQuarters(in: Self.clock, now: now)
        #expect(elapsed[0..<56].allSatisfy { $0 == OccupancyGrid.quarter } && elapsed[56] == 300_000 && elapsed[57...].allSatisfy { $0 == 0 })
        #expect(ReportPeriod.month(ReportMonth("2026-11")!).elapsedQuarters(in: Self.clock, now: now + 40 * 86_400_000).allSatisfy { $0 == 30 * OccupancyGrid.quarter })
        // Berlin on the day clocks go back: 02:00-03:00 happens twice, and counts twice, as the occupancy grid files it.
        let berlin = try #require(ZoneClock(identifier: "Europe/Berlin"))
        let autumn = ReportPeriod.day(try #require(LocalDate("2026-10-25"))).elapsedQuarters(in: berlin, now: .max)
        #expect(autumn[8..<12].allSatisfy { $0 == 2 * OccupancyGrid.quarter } && autumn.reduce(0, +) == 25 * 3_600_000)
        let spring = ReportPeriod.day(try #require(LocalDate("2026-03-29"))).elapsedQuarters(in: berlin, now: .max)
        #expect(spring[8..<12].allSatisfy { $0 == 0 } && spring.reduce(0, +) == 23 * 3_600_000)

        // One of two bays full from 08:00 to now: half the assessed time that has passed, not a quarter of the whole day's.
        var facts = ReportFacts()
        facts.elapsedDays = 1
        facts.elapsedQuarters = elapsed
        facts.zones = ["SP1": .init(bays: 2, sessions: 1, cameraSessions: 0, cameraReads: 0)]
        let start = midnight + 8 * 3_600_000
        facts.occupancy = OccupancyGrid(spans: [
            OccupancyGrid.Span(zone: "SP1", startQuarter: start / OccupancyGrid.quarter, endQuarter: now / OccupancyGrid.quarter, count: 1, startSum: start, endSum: now),
        ], clock: Self.clock)
        let report = RevenueReport(contract: Self.contract, period: day, facts: facts, clock: Self.clock)
        let occupancy = try #require(report.kpis.first { $0.reading.kpi == .occupancyRate }?.reading)
        #expect(occupancy.numerator == now - start && occupancy.denominator == 2 * (now - start))
        #expect(report.hourlyOccupancy["SP1"]?[13] == 5_000 && report.hourlyOccupancy["SP1"]?[14] == 5_000 && report.hourlyOccupancy["SP1"]?[15] == 0)
    }

    @Test("A device is offline from comms lost to comms restored, and counts from when it was first seen")
    func uptime() {
        var uptime = DeviceUptime()
        uptime.add(firstSeen: 500, onlineAtStart: true, changes: [], period: 0..<1_000)
        uptime.add(firstSeen: 0, onlineAtStart: false, changes: [.restored(200), .lost(900)], period: 0..<1_000)
        uptime.add(firstSeen: 2_000, onlineAtStart: true, changes: [], period: 0..<1_000)
        #expect(uptime.onlineMs == 500 + 700)
        #expect(uptime.knownMs == 500 + 1_000)
    }
}
