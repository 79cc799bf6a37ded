import CurbsideTestThreads
import Testing
@testable import CurbsideCore

@Suite("Local time", .ownThread)
struct TimeTests {
    @Test("Shanghai is UTC+8 with no changes since 1991")
    func shanghai() throws {
        let clock = try #require(ZoneClock(identifier: "Asia/Shanghai"))
        let instant = try #require(LocalDateTime.instant("2026-11-21T09:00", in: clock))
        #expect(instant == 1_795_222_800)
        #expect(LocalDateTime.format(instant, in: clock) == "2026-11-21T09:00:00+08:00")
        #expect(clock.localDay(instant) == LocalDate("2026-11-21")!.dayNumber)
        #expect(LocalDateTime.instant("2026-11-21T01:00:00Z", in: clock) == instant)
        #expect(LocalDateTime.instant("2026-11-21 09:00:00 08:00", in: clock) == instant, "a + turned into a space in a query")
        #expect(LocalDateTime.instant("2026-11-21", in: clock) == nil)
        #expect(LocalDateTime.instant("2026-11-21T24:00", in: clock) == nil)
    }

    @Test("Daylight saving: a skipped time moves to the change, a repeated one takes the first")
    func daylightSaving() throws {
        let berlin = try #require(ZoneClock(identifier: "Europe/Berlin"))
        let skipped = try #require(LocalDateTime.instant("2026-03-29T02:30", in: berlin))
        #expect(LocalDateTime.format(skipped, in: berlin) == "2026-03-29T03:00:00+02:00")
        let repeated = try #require(LocalDateTime.instant("2026-10-25T02:30", in: berlin))
        #expect(LocalDateTime.format(repeated, in: berlin) == "2026-10-25T02:30:00+02:00")
        #expect(berlin.offset(atUTC: repeated + 3600) == 3600)
    }

    @Test("Day numbers and weekdays", arguments: [("1970-01-01", 0, 4), ("2026-11-21", 20_778, 6), ("2000-02-29", 11_016, 2), ("1969-12-31", -1, 3)])
    func days(date: String, number: Int, weekday: Int) {
        #expect(LocalDate(date)?.dayNumber == number)
        #expect(LocalDate(dayNumber: number).description == date)
        #expect(LocalDate.weekday(ofDay: number) == weekday)
    }

    @Test("Money is parsed and printed in fen, never floating point")
    func money() {
        #expect(Money.fen(fromYuan: "2.5") == 250)
        #expect(Money.fen(fromYuan: "0.75") == 75)
        #expect(Money.fen(fromYuan: "20") == 2000)
        #expect(Money.fen(fromYuan: "2.505") == nil)
        #expect(Money.fen(fromYuan: "-1") == nil)
        #expect(Money.fen(fromYuan: "1e3") == nil)
        #expect(Money.display(-2800) == "-¥28.00")
        #expect(Money.percent(125, 50) == 63)
        #expect(Money.percent(-125, 50) == -63)
    }
}
