import CurbsideCore
import CurbsideTestThreads
import Testing

/// Prices worked out by hand from each city's published rules (domain.md,
/// "Published tariffs") and the semantics each file documents.
@Suite("Tariffs: golden prices", .ownThread)
struct TariffGoldenTests {
    func check(_ file: String, _ stay: Stay) throws {
        let engine = try TariffFiles.engine(file)
        let quote = try stay.quote(engine)
        let text = QuoteText(tariff: engine.tariff, clock: engine.clock).bill(quote).joined(separator: "\n")
        #expect(quote.amountFen == stay.fen, "\(stay.testDescription)\n\(text)")
        #expect(quote.lines.reduce(0) { $0 + $1.amountFen } == quote.amountFen)
    }

    @Test("Heshan", arguments: [
        Stay("exactly 30 min is free", "2026-11-21 09:00", "2026-11-21 09:30", 0),
        Stay("30 min + 1 s pays from arrival", "2026-11-21 09:00", "2026-11-21 09:30:01", 400),
        Stay("one hour", "2026-11-21 09:00", "2026-11-21 10:00", 400),
        Stay("part half hour charged whole", "2026-11-21 10:00", "2026-11-21 11:05", 600),
        Stay("crossing the 20:00 window edge", "2026-11-21 19:45", "2026-11-21 20:30", 200),
        Stay("crossing midnight, unit finished next morning", "2026-11-21 19:40", "2026-11-22 08:40", 400),
        Stay("reaching the daily cap", "2026-11-21 08:00", "2026-11-21 20:00", 2000),
        Stay("two days, capped each day", "2026-11-21 08:00", "2026-11-22 20:00", 4000),
        Stay("free night", "2026-11-21 21:00", "2026-11-22 07:00", 0),
        Stay("large vehicle pays double", "2026-11-21 09:00", "2026-11-21 10:00", 800, vehicle: .large),
        Stay("large vehicle cap doubles", "2026-11-21 08:00", "2026-11-21 20:00", 4000, vehicle: .large),
        Stay("new-energy half of the capped charge", "2026-11-21 08:00", "2026-11-21 20:00", 1000, vehicle: .nev),
        Stay("exempt vehicle", "2026-11-21 09:00", "2026-11-21 18:00", 0, vehicle: .exempt),
        Stay("class 2", "2026-11-21 10:00", "2026-11-21 11:05", 450, class: .two),
        Stay("class 3 cap", "2026-11-21 08:00", "2026-11-21 18:00", 1000, class: .three),
        Stay("a public holiday is priced like any day", "2026-10-01 09:00", "2026-10-01 10:00", 400),
        Stay("so is a make-up working Saturday", "2026-10-10 09:00", "2026-10-10 10:00", 400),
    ])
    func heshan(stay: Stay) throws { try check("heshan", stay) }

    @Test("Beijing 2018", arguments: [
        Stay("a part quarter hour is free", "2026-11-20 10:00", "2026-11-20 10:14:59", 0),
        Stay("one quarter hour", "2026-11-20 10:00", "2026-11-20 10:15", 250),
        Stay("completed units only", "2026-11-20 10:00", "2026-11-20 10:29:59", 250),
        Stay("first hour", "2026-11-20 10:00", "2026-11-20 11:00", 1000),
        Stay("after the first hour", "2026-11-20 10:00", "2026-11-20 11:15", 1375),
        Stay("two hours", "2026-11-20 10:00", "2026-11-20 12:00", 2500),
        Stay("crossing 19:00, night part under 2 h", "2026-11-20 18:30", "2026-11-20 19:30", 500),
        Stay("day then two night blocks", "2026-11-20 18:00", "2026-11-20 23:00", 1200),
        Stay("overnight across midnight", "2026-11-20 20:00", "2026-11-21 08:00", 1500),
        Stay("arriving at night, first hour from 07:00", "2026-11-21 06:00", "2026-11-21 08:00", 1000),
        Stay("class 2", "2026-11-20 10:00", "2026-11-20 11:30", 1050, class: .two),
        Stay("class 3 working day", "2026-11-20 09:00", "2026-11-20 17:00", 2300, class: .three),
        Stay("a whole day and night", "2026-11-20 12:00", "2026-11-21 12:00", 18100),
        Stay("Spring Festival holiday: the same every-day rates", "2026-02-17 10:00", "2026-02-17 11:00", 1000),
    ])
    func beijing(stay: Stay) throws { try check("beijing-2018", stay) }

    @Test("Shenzhen", arguments: [
        Stay("first half hour, workday", "2026-11-20 09:00", "2026-11-20 09:30", 300),
        Stay("30 min + 1 s", "2026-11-20 09:00", "2026-11-20 09:30:01", 900),
        Stay("three hours", "2026-11-20 09:00", "2026-11-20 12:00", 3300),
        Stay("after three hours", "2026-11-20 09:00", "2026-11-20 12:30", 4300),
        Stay("arriving before 07:30", "2026-11-20 06:00", "2026-11-20 08:00", 300),
        Stay("Saturday: non-workday hours and rates", "2026-11-21 09:00", "2026-11-21 11:00", 360),
        Stay("Friday evening into Saturday", "2026-11-20 19:00", "2026-11-21 11:00", 1380),
        Stay("National Day holiday at non-workday rates", "2026-10-01 09:00", "2026-10-01 11:00", 360),
        Stay("make-up working Saturday at workday rates", "2026-10-10 09:00", "2026-10-10 10:00", 900),
        Stay("Spring Festival make-up Saturday", "2026-02-14 09:00", "2026-02-14 10:00", 900, class: .one),
        Stay("new-energy: first hour each day free", "2026-11-20 09:00", "2026-11-20 11:00", 1200, vehicle: .nev),
        Stay("new-energy: both days' first hours", "2026-11-20 19:00", "2026-11-21 11:00", 0, vehicle: .nev),
        Stay("class 3 long workday", "2026-11-20 08:00", "2026-11-20 20:00", 8520, class: .three),
        Stay("Sunday night is free", "2026-11-22 21:00", "2026-11-22 23:00", 0),
    ])
    func shenzhen(stay: Stay) throws { try check("shenzhen", stay) }

    @Test("Ninghai 2021", arguments: [
        Stay("30 min free", "2026-11-20 09:00", "2026-11-20 09:30", 0),
        Stay("30 min + 1 s: the first-hour block", "2026-11-20 09:00", "2026-11-20 09:30:01", 300),
        Stay("one hour", "2026-11-20 09:00", "2026-11-20 10:00", 300),
        Stay("one hour + 1 s", "2026-11-20 09:00", "2026-11-20 10:00:01", 450),
        Stay("two hours", "2026-11-20 09:00", "2026-11-20 11:00", 600),
        Stay("three hours", "2026-11-20 09:00", "2026-11-20 12:00", 1000),
        Stay("four hours", "2026-11-20 09:00", "2026-11-20 13:00", 1600),
        Stay("reaching the 24 h cap", "2026-11-20 09:00", "2026-11-20 20:00", 3000),
        Stay("crossing 20:00", "2026-11-20 19:30", "2026-11-20 21:00", 300),
        Stay("a new 24 h cycle restarts the tiers", "2026-11-21 10:00", "2026-11-22 12:00", 3600),
        Stay("class 2", "2026-11-20 09:00", "2026-11-20 11:30", 600, class: .two),
        Stay("class 2 crossing 17:00", "2026-11-20 16:50", "2026-11-20 17:30", 200, class: .two),
        Stay("class 3 cap", "2026-11-20 08:00", "2026-11-20 17:00", 2000, class: .three),
        Stay("large vehicles: no rule, base rates", "2026-11-20 09:00", "2026-11-20 10:00", 300, vehicle: .large),
        Stay("a holiday is priced like any day", "2026-10-02 09:00", "2026-10-02 10:00", 300),
    ])
    func ninghai(stay: Stay) throws { try check("ninghai-2021", stay) }

    @Test("Qinzhou", arguments: [
        Stay("30 min free", "2026-11-20 10:00", "2026-11-20 10:30", 0),
        Stay("30 min + 1 s: the whole stay is charged", "2026-11-20 10:00", "2026-11-20 10:30:01", 250),
        Stay("first hour", "2026-11-20 10:00", "2026-11-20 11:00", 250),
        Stay("second hour begun", "2026-11-20 10:00", "2026-11-20 11:00:01", 550),
        Stay("three hours", "2026-11-20 10:00", "2026-11-20 13:00", 1050),
        Stay("daily cap", "2026-11-20 08:00", "2026-11-20 22:00", 3000),
        Stay("crossing 22:00", "2026-11-20 21:30", "2026-11-20 22:30", 250),
        Stay("new-energy half price", "2026-11-20 10:00", "2026-11-20 13:00", 525, vehicle: .nev),
        Stay("new-energy half of the cap", "2026-11-20 08:00", "2026-11-20 22:00", 1500, vehicle: .nev),
        Stay("disabled driver: 2 h free", "2026-11-20 10:00", "2026-11-20 12:00", 0, vehicle: .disabled),
        Stay("disabled driver: after 2 h", "2026-11-20 10:00", "2026-11-20 12:30", 250, vehicle: .disabled),
        Stay("special-service vehicle", "2026-11-20 10:00", "2026-11-20 20:00", 0, vehicle: .exempt),
        Stay("class 3 arriving before 09:00", "2026-11-20 08:00", "2026-11-20 10:30", 300, class: .three),
        Stay("class 2 across midnight", "2026-11-21 20:00", "2026-11-22 10:00", 450, class: .two),
    ])
    func qinzhou(stay: Stay) throws { try check("qinzhou", stay) }

    @Test("Zhumadian 2020", arguments: [
        Stay("30 min free", "2026-11-20 10:00", "2026-11-20 10:30", 0),
        Stay("30 min + 1 s starts the 5-yuan block", "2026-11-20 10:00", "2026-11-20 10:30:01", 500),
        Stay("one hour", "2026-11-20 10:00", "2026-11-20 11:00", 500),
        Stay("one hour + 1 s", "2026-11-20 10:00", "2026-11-20 11:00:01", 650),
        Stay("three hours", "2026-11-20 10:00", "2026-11-20 13:00", 800),
        Stay("daily cap within the window", "2026-11-20 07:30", "2026-11-20 19:30", 2000),
        Stay("evening: free period then free night", "2026-11-20 19:00", "2026-11-20 21:00", 0),
        Stay("exactly 24 h keeps the free period", "2026-11-20 10:00", "2026-11-21 10:00", 2150),
        Stay("over 24 h loses it", "2026-11-20 10:00", "2026-11-21 10:30", 2300),
        Stay("class 2", "2026-11-20 10:00", "2026-11-20 12:00", 530, class: .two),
        Stay("class 3 cap", "2026-11-20 07:00", "2026-11-20 19:30", 1000, class: .three),
    ])
    func zhumadian(stay: Stay) throws { try check("zhumadian-2020", stay) }
}
