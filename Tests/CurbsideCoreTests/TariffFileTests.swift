import CurbsideTestThreads
import Foundation
import Testing
import Yams
@testable import CurbsideCore

@Suite("Tariff files", .ownThread)
struct TariffFileTests {
    static let valid = """
    id: test
    version: 1
    name: Test
    effective: 2026-01-01
    time_zone: Asia/Shanghai
    summary: A test.
    classes:
      1: { every_day: [{ from: "08:00", to: "20:00", unit: 30, price: "2.00" }] }
      2: { every_day: [{ from: "08:00", to: "20:00", unit: 30, price: "1.50" }] }
      3: { every_day: [{ from: "08:00", to: "20:00", unit: 30, price: "1.00" }] }
    """

    func refusal(_ text: String) -> (path: String, reason: String)? {
        do {
            _ = try YAMLDecoder().decode(TariffDocument.self, from: text)
            return nil
        } catch let error as DecodingError {
            let context: DecodingError.Context
            var path: [any CodingKey]
            switch error {
            case let .keyNotFound(key, c): context = c; path = c.codingPath + [key]
            case let .typeMismatch(_, c), let .valueNotFound(_, c), let .dataCorrupted(c): context = c; path = c.codingPath
            @unknown default: return nil
            }
            if path.isEmpty { path = context.codingPath }
            return (path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined(), context.debugDescription)
        } catch {
            return ("", "\(error)")
        }
    }

    @Test("Every shipped file loads")
    func shipped() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: TariffFiles.directory).filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("holidays") && !$0.hasPrefix("concession") }
        #expect(names.count >= 6)
        for name in names {
            let tariff = try TariffFiles.tariff(String(name.dropLast(5)))
            #expect(name.hasPrefix(tariff.header.id.split(separator: "-").first!), "file names start with the city")
            #expect(!tariff.notes.isEmpty, "\(name) documents its chosen semantics")
        }
        #expect(TariffFiles.calendar.years == 2025...2026)
    }

    @Test("The sample is valid", arguments: [0])
    func sample(_: Int) {
        #expect(refusal(Self.valid) == nil)
    }

    @Test("A bad file is refused with the key at fault", arguments: [
        ("price: \"2.00\" }] }\n  2:", "price: \"2.005\" }] }\n  2:", ".classes.1.every_day[0].price", "not an amount in yuan"),
        ("unit: 30, price: \"1.50\"", "unit: 30, prise: \"1.50\"", ".classes.2.every_day[0].prise", "unknown key 'prise'"),
        ("to: \"20:00\", unit: 30, price: \"1.00\"", "to: \"25:00\", unit: 30, price: \"1.00\"", ".classes.3.every_day[0].to", "not a time of day"),
        ("version: 1", "version: 0", ".version", "positive"),
        ("effective: 2026-01-01", "effective: 2026-02-30", ".effective", "yyyy-MM-dd"),
        ("time_zone: Asia/Shanghai\n", "", ".time_zone", "time_zone"),
        ("time_zone: Asia/Shanghai", "time_zone: Asia/Beijing", ".time_zone", "not an IANA time zone"),
        ("  3: { every_day: [{ from: \"08:00\", to: \"20:00\", unit: 30, price: \"1.00\" }] }", "", ".classes.3", "every zone class needs rules"),
    ] as [(String, String, String, String)])
    func refused(find: String, replace: String, path: String, reason: String) throws {
        let text = Self.valid.replacingOccurrences(of: find, with: replace)
        #expect(text != Self.valid)
        let found = try #require(refusal(text))
        #expect(found.path == path)
        #expect(found.reason.contains(reason), "\(found.reason)")
    }

    @Test("Window and tier rules are checked", arguments: [
        (#"[{ from: "08:00", to: "20:00", unit: 30, price: "2.00" }, { from: "19:00", to: "22:00", unit: 30, price: "1.00" }]"#, "overlap"),
        (#"[{ from: "08:00", to: "20:00", unit: 30, tiers: [{ until: 45, price: "2.00" }, { price: "3.00" }] }]"#, "whole 30-minute units"),
        (#"[{ from: "08:00", to: "20:00", unit: 30, tiers: [{ until: 60, price: "2.00" }, { until: 120, price: "3.00" }] }]"#, "open-ended"),
        (#"[{ from: "08:00", to: "20:00", unit: 30, price: "2.00", free: true }]"#, "exactly one of"),
        (#"[{ from: "08:00", to: "09:00", unit: 30, price: "2.00" }, { from: "20:00", to: "10:00", flat: { per: 120, price: "1.00" } }]"#, "runs into the next day"),
    ] as [(String, String)])
    func windows(windows: String, reason: String) throws {
        let text = Self.valid.replacingOccurrences(of: #"[{ from: "08:00", to: "20:00", unit: 30, price: "2.00" }]"#, with: windows)
        let found = try #require(refusal(text))
        #expect(found.reason.contains(reason), "\(found.reason)")
    }

    @Test("Holiday calendars: make-up days must be weekends, days inside the years")
    func calendars() throws {
        func decode(_ text: String) throws -> HolidayCalendar { try YAMLDecoder().decode(HolidayCalendarDocument.self, from: text).calendar }
        let calendar = TariffFiles.calendar
        func type(_ date: String) -> DayType { calendar.dayType(ofDay: LocalDate(date)!.dayNumber).type }
        #expect(type("2026-10-01") == .holiday)
        #expect(type("2026-10-03") == .holiday)
        #expect(type("2026-10-10") == .workday)
        #expect(type("2026-02-14") == .workday)
        #expect(type("2026-11-21") == .nonWorkday)
        #expect(type("2026-11-20") == .workday)
        #expect(calendar.dayType(ofDay: LocalDate("2027-01-02")!.dayNumber) == (.nonWorkday, false))
        #expect(throws: DecodingError.self) {
            try decode("id: x\nname: x\nyears: [2026]\nperiods: [{ name: a, from: \"2026-10-01\", workdays: [\"2026-10-12\"] }]")
        }
        #expect(throws: DecodingError.self) {
            try decode("id: x\nname: x\nyears: [2026]\nperiods: [{ name: a, from: \"2027-01-01\" }]")
        }
    }
}
