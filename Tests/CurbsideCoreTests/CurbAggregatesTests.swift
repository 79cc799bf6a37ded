@testable import CurbsideCore
import CurbsideTestThreads
import PropertyBased
import Testing

/// CDS aggregates from stays and device outages, worked by hand: two places
/// over four Shanghai hours, the last not yet begun.
@Suite("CDS aggregates", .ownThread)
struct CurbAggregatesTests {
    static let clock = ZoneClock(identifier: "Asia/Shanghai")!
    /// 2026-11-20 10:00 in Shanghai, and minutes after.
    static let ten: Int64 = 1_795_140_000_000
    static func at(_ minutes: Int64) -> Int64 { ten + minutes * 60_000 }

    static func aggregates() -> CurbAggregates {
        let hours = LocalHour.covering(at(0)..<at(240), clock: clock)
        // Now is 12:30: the 12:00 hour is half gone, the 13:00 hour not begun.
        var aggregates = CurbAggregates(places: [["A", "B"], ["C"]], hours: hours, now: at(150))
        aggregates.add(bay: "A", start: at(20), end: at(110))
        aggregates.add(bay: "B", start: at(-60), end: at(30))
        aggregates.add(bay: "B", start: at(120), end: nil)
        aggregates.add(bay: "C", start: at(65), end: at(75))
        aggregates.add(bay: "elsewhere", start: at(0), end: at(60))
        aggregates.addOutage(bay: "C", during: at(10)..<at(50))
        aggregates.addOutage(bay: "C", during: at(60)..<at(80))
        return aggregates
    }

    @Test("Sessions, events, turnover, dwell and occupancy per place and hour")
    func values() {
        let aggregates = Self.aggregates()
        func values(_ metric: CurbMetric, place: Int) -> [Double?] {
            (0..<4).map { aggregates.value(metric, place: place, hour: $0) }
        }
        // Place 0 has two bays: 120 bay-minutes an hour, 60 in the half hour before now.
        #expect(values(.totalSessions, place: 0) == [1, 0, 1, nil])
        #expect(values(.totalEvents, place: 0) == [2, 1, 1, nil])
        #expect(values(.turnover, place: 0) == [0.5, 0, 1, nil])
        #expect(values(.averageDwellTime, place: 0) == [90, nil, nil, nil])
        #expect(values(.occupancyPercent, place: 0).map { $0.map { ($0 * 1000).rounded() / 1000 } } == [58.333, 41.667, 50, nil])
        // Place 1's detector was out 40 of the first hour's 60 minutes, 20 of the second's.
        #expect(CurbMetric.allCases.allSatisfy { aggregates.value($0, place: 1, hour: 0) == -1 })
        #expect(values(.totalSessions, place: 1)[1] == 1 && values(.averageDwellTime, place: 1)[1] == 10)
        #expect(values(.occupancyPercent, place: 1)[1].map { ($0 * 1000).rounded() / 1000 } == 16.667)
        #expect(aggregates.cell(place: 1, hour: 1).offlineMs == 20 * 60_000)
    }

    @Test("Occupied time adds up to the stays' time within the hours, cut at now")
    func occupiedTime() {
        let aggregates = Self.aggregates()
        let occupied = (0..<2).flatMap { place in (0..<4).map { aggregates.cell(place: place, hour: $0).occupiedMs } }.reduce(0, +)
        // A 90 + B 30 (from 10:00) + B 30 (to now) + C 10 minutes.
        #expect(occupied == 160 * 60_000)
    }

    @Test("Stays summed into quarter-hour figures count exactly as one by one, and negated figures take a stay back")
    func quarterFigures() async {
        // Each stay: bay (even A, odd B), start in seconds from 08:30, length in seconds (0 included).
        let stay = zip(Gen.int(in: 0...1), Gen.int(in: 0...18_000), Gen.int(in: 0...12_000))
        await propertyCheck(count: 200, input: stay.array(of: 1...60)) { stays in
            let hours = LocalHour.covering(Self.at(0)..<Self.at(240), clock: Self.clock)
            var single = CurbAggregates(places: [["A"], ["B"]], hours: hours, now: Self.at(400))
            var summed = single
            var sums: [[Int64]: QuarterFigures] = [:]
            for (bay, offset, length) in stays {
                let start = Self.at(-90) + Int64(offset) * 1000, end = start + Int64(length) * 1000
                single.add(bay: bay == 0 ? "A" : "B", start: start, end: end)
                for (quarter, figures) in QuarterFigures.of(start: start, end: end) { sums[[Int64(bay), quarter], default: .init()] += figures }
            }
            // One more stay added to the sums and taken back out changes nothing.
            let extra = QuarterFigures.of(start: Self.at(10), end: Self.at(200))
            for (quarter, figures) in extra { sums[[0, quarter], default: .init()] += figures }
            for (quarter, figures) in extra { sums[[0, quarter], default: .init()] += -figures }
            for (key, figures) in sums { summed.add(figures, quarter: key[1], place: Int(key[0])) }
            #expect(summed.cells == single.cells)
        }
    }

    @Test("A stay's figures: its start, time and end in the quarters they fall in, its time spread over the quarters it filled")
    func figuresOfOneStay() {
        // 10:05 to 10:40: starts in quarter 10:00, ends in 10:30, fills 10, 15 and 10 minutes.
        let figures = QuarterFigures.of(start: Self.at(5), end: Self.at(40))
        let q = Self.at(0) / 900_000, minute: Int64 = 60_000
        let expected: [Int64: QuarterFigures] = [
            q: QuarterFigures(starts: 1, dwellMs: 35 * minute, occupiedMs: 10 * minute),
            q + 1: QuarterFigures(occupiedMs: 15 * minute),
            q + 2: QuarterFigures(ends: 1, occupiedMs: 10 * minute),
        ]
        #expect(figures == expected)
        // Ending on a quarter's first instant is an end in that quarter, which the stay did not fill.
        let toQuarter: [Int64: QuarterFigures] = [q: QuarterFigures(starts: 1, dwellMs: 15 * minute, occupiedMs: 15 * minute), q + 1: QuarterFigures(ends: 1)]
        #expect(QuarterFigures.of(start: Self.at(0), end: Self.at(15)) == toQuarter)
        let instant: [Int64: QuarterFigures] = [q: QuarterFigures(starts: 1, ends: 1)]
        #expect(QuarterFigures.of(start: Self.at(3), end: Self.at(3)) == instant)
    }

    @Test("Outages run from each loss to the next restoration, or to the period's end")
    func outages() {
        let period: Range<Int64> = 1000..<2000
        #expect(DeviceOutages.ranges(lostAtStart: true, changes: [.restored(1200)], period: period) == [1000..<1200])
        #expect(DeviceOutages.ranges(lostAtStart: false, changes: [.lost(1100), .lost(1150), .restored(1300), .lost(1900)], period: period)
            == [1100..<1300, 1900..<2000])
        #expect(DeviceOutages.ranges(lostAtStart: false, changes: [.restored(1100)], period: period).isEmpty)
        #expect(DeviceOutages.ranges(lostAtStart: true, changes: [], period: period) == [period])
    }
}
