import CurbsideCore
import CurbsideTestThreads
import Testing

@Suite("RFC 3339 instants", .ownThread)
struct RFC3339Tests {
    @Test("Real instants are read to the millisecond, at any offset a time zone uses")
    func valid() throws {
        #expect(try RFC3339.milliseconds("2026-11-21T08:30:00+08:00") == 1_795_221_000_000)
        #expect(try RFC3339.milliseconds("2026-11-21T00:30:00Z") == 1_795_221_000_000)
        #expect(try RFC3339.milliseconds("2026-11-21t00:30:00.250z") == 1_795_221_000_250)
        #expect(try RFC3339.milliseconds("2026-11-20T12:30:00.123456789-12:00") == 1_795_221_000_123)
        #expect(try RFC3339.milliseconds("2026-11-21T14:30:00+14:00") == 1_795_221_000_000)
        #expect(try RFC3339.milliseconds("1970-01-01T00:00:00Z") == 0)
        #expect(try RFC3339.milliseconds("2028-02-29T12:00:00Z") > 0)
    }

    @Test("Impossible dates, times and offsets, other forms and years beyond the range are refused, each saying why")
    func refused() {
        let cases: [(String, RFC3339.Problem)] = [
            ("2026-11-21T08:30:00+25:00", .impossibleOffset), ("2026-11-21T08:30:00+14:30", .impossibleOffset), ("2026-11-21T08:30:00-13:00", .impossibleOffset),
            ("2026-11-21T08:30:00+08:60", .impossibleOffset), ("2026-02-30T08:30:00Z", .impossibleDate), ("2027-02-29T08:30:00Z", .impossibleDate),
            ("2026-13-01T08:30:00Z", .impossibleDate), ("2026-11-21T24:00:00Z", .impossibleTime), ("2026-11-21T08:60:00Z", .impossibleTime),
            ("2026-11-21T08:30:60Z", .impossibleTime), ("1969-12-31T23:59:59Z", .outOfRange), ("2200-01-01T00:00:00Z", .outOfRange),
            ("2026-11-21T08:30:00", .malformed), ("2026-11-21 08:30:00Z", .malformed), ("2026-11-21T08:30Z", .malformed),
            ("2026-11-21T08:30:00.Z", .malformed), ("2026-11-21T08:30:00.1234567890Z", .malformed), ("+2026-11-21T08:30:00Z", .malformed),
            ("２０２６-11-21T08:30:00Z", .malformed), ("2026-11-21T08:30:00+0800", .malformed), ("", .malformed),
        ]
        for (text, problem) in cases {
            #expect(throws: problem, "\(text)") { try RFC3339.parse(text) }
        }
        #expect(LocalDate("2026-+1-05") == nil)
        #expect(RFC3339.isFullDate("2026-11-21") && !RFC3339.isFullDate("2026-11-31") && !RFC3339.isFullDate("26-11-21"))
    }
}
