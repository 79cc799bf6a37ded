import CurbsideCore
import CurbsideTestThreads
import Testing

@Suite("Quiet hours", .ownThread)
struct QuietHoursTests {
    static let china = ZoneClock(identifier: "Asia/Shanghai")!

    static func at(_ local: String) -> Int64 {
        LocalDateTime.instant(local, in: china)! * 1000
    }

    @Test("Read as two different hours; anything else refused")
    func parse() {
        #expect(QuietHours("21-8") == QuietHours(start: 21, end: 8))
        for text in ["21-21", "24-8", "21-", "-8", "a-b", "21-8-1", ""] { #expect(QuietHours(text) == nil, "\(text)") }
    }

    @Test("Across midnight and within a day: when they end, nil outside them")
    func ends() {
        let night = QuietHours(start: 21, end: 8)!
        #expect(night.end(after: Self.at("2026-11-20T22:30"), in: Self.china) == Self.at("2026-11-21T08:00"))
        #expect(night.end(after: Self.at("2026-11-21T03:00"), in: Self.china) == Self.at("2026-11-21T08:00"))
        #expect(night.end(after: Self.at("2026-11-21T21:00"), in: Self.china) == Self.at("2026-11-22T08:00"))
        #expect(night.end(after: Self.at("2026-11-21T08:00"), in: Self.china) == nil)
        #expect(night.end(after: Self.at("2026-11-21T20:59"), in: Self.china) == nil)
        let lunch = QuietHours(start: 12, end: 14)!
        #expect(lunch.end(after: Self.at("2026-11-21T13:30"), in: Self.china) == Self.at("2026-11-21T14:00"))
        #expect(lunch.end(after: Self.at("2026-11-21T14:00"), in: Self.china) == nil)
    }
}
