@testable import CurbsideCore
import CurbsideTestThreads
import Testing

/// Local hours for CDS aggregates: whole hours of the zone's clock, a
/// repeated hour as one two-hour row, a skipped hour missing, and clocks
/// whose offset is not whole hours.
@Suite("Local hours", .ownThread)
struct LocalHourTests {
    static func utc(_ text: String) -> Int64 {
        // "2026-11-20T02:20" as UTC milliseconds.
        let date = LocalDate(text.prefix(10))!
        let hour = Int64(text.dropFirst(11).prefix(2))!, minute = Int64(text.dropFirst(14).prefix(2))!
        return (Int64(date.dayNumber) * 86_400 + hour * 3600 + minute * 60) * 1000
    }

    static func rows(_ hours: [LocalHour]) -> [String] {
        hours.map { "\($0.date) \($0.hour) \(($0.end - $0.start) / 60_000)m from \($0.start)" }
    }

    @Test("Hours overlapping a window are whole, in the zone's time")
    func shanghai() throws {
        let clock = try #require(ZoneClock(identifier: "Asia/Shanghai"))
        let hours = LocalHour.covering(Self.utc("2026-11-20T02:20")..<Self.utc("2026-11-20T04:00"), clock: clock)
        #expect(hours.map(\.hour) == [10, 11])
        #expect(hours.map(\.start) == [Self.utc("2026-11-20T02:00"), Self.utc("2026-11-20T03:00")])
        #expect(hours.allSatisfy { $0.end - $0.start == 3_600_000 && $0.date.description == "2026-11-20" })
        #expect(LocalHour.covering(Self.utc("2026-11-20T15:30")..<Self.utc("2026-11-20T16:30"), clock: clock).map { "\($0.date) \($0.hour)" }
            == ["2026-11-20 23", "2026-11-21 0"])
        #expect(LocalHour.covering(5..<5, clock: clock).isEmpty)
    }

    @Test("When clocks go back the repeated hour is one row two hours long; when they go forward the skipped hour has none")
    func clockChanges() throws {
        let berlin = try #require(ZoneClock(identifier: "Europe/Berlin"))
        let autumn = LocalHour.covering(Self.utc("2026-10-24T22:00")..<Self.utc("2026-10-25T04:00"), clock: berlin)
        #expect(autumn.map(\.hour) == [0, 1, 2, 3, 4])
        #expect(autumn.map { ($0.end - $0.start) / 60_000 } == [60, 60, 120, 60, 60])
        #expect(autumn[2].start == Self.utc("2026-10-25T00:00"))
        let spring = LocalHour.covering(Self.utc("2026-03-28T23:00")..<Self.utc("2026-03-29T03:00"), clock: berlin)
        #expect(spring.map(\.hour) == [0, 1, 3, 4])
        #expect(spring.allSatisfy { $0.end - $0.start == 3_600_000 })
        for (earlier, later) in zip(autumn + spring, (autumn + spring).dropFirst()) where earlier.date == later.date {
            #expect(earlier.end == later.start)
        }
    }

    @Test("Kathmandu's hours (UTC+5:45) start at a quarter past the UTC hour")
    func quarterOffset() throws {
        let kathmandu = try #require(ZoneClock(identifier: "Asia/Kathmandu"))
        let hours = LocalHour.covering(Self.utc("2026-11-20T00:00")..<Self.utc("2026-11-20T01:00"), clock: kathmandu)
        #expect(Self.rows(hours) == [
            "2026-11-20 5 60m from \(Self.utc("2026-11-19T23:15"))",
            "2026-11-20 6 60m from \(Self.utc("2026-11-20T00:15"))",
        ])
    }
}
