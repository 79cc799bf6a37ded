import CurbsideTestThreads
import Foundation
import PropertyBased
import Testing
@testable import CurbsideCore

@Suite("Tariffs: properties", .ownThread)
struct TariffPropertyTests {
    static let names = ["heshan", "beijing-2018", "shenzhen", "ninghai-2021", "qinzhou", "zhumadian-2020"]
    /// 2026-01-01T00:00:00+08:00; stays start anywhere in 2025-2026, inside the calendar.
    static let start: Int64 = 1_767_196_800 - 365 * 86_400

    @Test("A longer stay never costs less", arguments: names)
    func monotonic(name: String) async throws {
        let engine = try TariffFiles.engine(name)
        await propertyCheck(count: 400, input: Gen.int(in: 0...(2 * 365 * 86_400)), Gen.int(in: 0...(3 * 86_400)), Gen.int(in: 1...(14 * 3600)), Gen<VehicleClass>.case) { offset, length, extra, vehicle in
            let from = Self.start + Int64(offset)
            for zoneClass in ZoneClass.allCases {
                let shorter = try engine.quote(zoneClass: zoneClass, vehicle: vehicle, from: from, to: from + Int64(length))
                let longer = try engine.quote(zoneClass: zoneClass, vehicle: vehicle, from: from, to: from + Int64(length + extra))
                #expect(shorter.amountFen <= longer.amountFen, "\(name) class \(zoneClass.rawValue) \(vehicle) from \(from): \(length) s costs \(shorter.amountFen), \(length + extra) s costs \(longer.amountFen)")
            }
        }
    }

    @Test("Lines sum to the total, no cap cycle exceeds its cap, and nothing is negative", arguments: names)
    func capsAndSums(name: String) async throws {
        let engine = try TariffFiles.engine(name)
        await propertyCheck(count: 400, input: Gen.int(in: 0...(2 * 365 * 86_400)), Gen.int(in: 0...(5 * 86_400)), Gen<ZoneClass>.case, Gen<VehicleClass>.case) { offset, length, zoneClass, vehicle in
            let from = Self.start + Int64(offset)
            let quote = try engine.quote(zoneClass: zoneClass, vehicle: vehicle, from: from, to: from + Int64(length))
            #expect(quote.lines.reduce(0) { $0 + $1.amountFen } == quote.amountFen)
            #expect(quote.amountFen >= 0)
            #expect(quote.lines.allSatisfy { $0.from <= $0.to && $0.from >= quote.from && $0.to <= quote.to })
            guard let cap = engine.tariff.rules(for: zoneClass).capFen else { return }
            let rule = engine.tariff.rule(for: vehicle).rule
            let scaled = engine.tariff.capScalesWithRate ? Money.percent(cap, rule.ratePercent) : cap
            let perCycle = Dictionary(grouping: quote.lines.filter { $0.kind.isCharge || $0.kind == .cap }, by: \.cycle)
                .mapValues { $0.reduce(0) { $0 + $1.amountFen } }
            for (cycle, charged) in perCycle {
                #expect(charged <= scaled, "\(name) class \(zoneClass.rawValue) cycle \(cycle) charged \(charged) over the cap \(scaled)")
            }
        }
    }

    @Test("Prices do not depend on the process's time zone", .serialized, arguments: ["UTC", "America/Los_Angeles", "Pacific/Kiritimati"])
    func processTimeZone(zone: String) throws {
        let stays = (0..<200).map { index in (Self.start + Int64(index) * 37_993, Int64(index % 50) * 1_777) }
        func prices() throws -> [Int] {
            ZoneClockCache.shared.removeAll()
            return try Self.names.flatMap { name in
                let engine = try TariffFiles.engine(name)
                return try stays.map { try engine.quote(zoneClass: .two, vehicle: .small, from: $0.0, to: $0.0 + $0.1).amountFen }
            }
        }
        let reference = try prices()
        let previous = ProcessInfo.processInfo.environment["TZ"]
        setenv("TZ", zone, 1)
        tzset()
        defer {
            if let previous { setenv("TZ", previous, 1) } else { unsetenv("TZ") }
            tzset()
        }
        #expect(TimeZone.current.identifier != "" )
        #expect(try prices() == reference)
    }
}
