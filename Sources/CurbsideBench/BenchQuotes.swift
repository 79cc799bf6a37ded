import ArgumentParser
import CurbsideCore
import CurbsideServer
import CurbsideStore
import Foundation

/// Quotes per second on one core for a realistic mix of stays.
struct BenchQuotes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotes",
        abstract: "Quotes per second on one core, for a mix of stays under a day over every tariff in Tariffs/.",
        discussion: "Run as: swift build -c release && .build/release/curbside-bench quotes"
    )

    @Option(help: "Folder of tariff files.")
    var tariffs = "Tariffs"

    @Option(help: "Seconds to run each measurement.")
    var seconds: Double = 3

    @Option(help: "Stays in the mix.")
    var stays = 100_000

    func run() async throws {
        let files = try TariffFiles.files(.tariff, in: tariffs)
        let engines = try files.map { try TariffFiles.engine(forFile: tariffs + "/" + $0) }
        let mix = StayMix.make(count: stays)
        print("Quote benchmark: \(engines.count) tariffs, \(mix.count) stays (\(mix.summary)), one thread, \(seconds) s per run")
        var results: [(String, Double)] = []
        for engine in engines {
            results.append((engine.tariff.header.id, measure(engines: [engine], mix: mix)))
        }
        let all = measure(engines: engines, mix: mix)
        for (id, rate) in results {
            print("  \(id.padding(toLength: 16, withPad: " ", startingAt: 0)) \(Self.format(rate)) quotes/s")
        }
        print("  \("all, interleaved".padding(toLength: 16, withPad: " ", startingAt: 0)) \(Self.format(all)) quotes/s")
    }

    /// Quotes the mix round-robin over `engines` until `seconds` have passed.
    func measure(engines: [TariffEngine], mix: [StayMix.Stay]) -> Double {
        var checksum = 0
        var count = 0
        let clock = ContinuousClock()
        let start = clock.now
        let budget = Duration.milliseconds(Int(seconds * 1000))
        var index = 0
        while clock.now - start < budget {
            for _ in 0..<10_000 {
                let stay = mix[index]
                let engine = engines[index % engines.count]
                if let quote = try? engine.quote(zoneClass: stay.zoneClass, vehicle: stay.vehicle, from: stay.from, to: stay.to) {
                    checksum &+= quote.amountFen &+ quote.lines.count
                }
                index = index + 1 == mix.count ? 0 : index + 1
                count += 1
            }
        }
        let elapsed = clock.now - start
        precondition(checksum != 0, "no quote was priced")
        return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    static func format(_ rate: Double) -> String {
        let text = String(Int(rate.rounded()))
        var grouped = ""
        for (offset, character) in text.reversed().enumerated() {
            if offset > 0 && offset % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return String(String(grouped.reversed()).padding(toLength: 12, withPad: " ", startingAt: 0))
    }
}

/// A fixed, seeded mix of stays shaped like on-street parking: most stays are
/// short, some last the working day, a few run past midnight; all under 24 h.
enum StayMix {
    struct Stay {
        var zoneClass: ZoneClass
        var vehicle: VehicleClass
        var from: Int64
        var to: Int64
    }

    static func make(count: Int) -> [Stay] {
        var random = SplitMix64(seed: 20_261_121)
        let yearStart: Int64 = 1_767_196_800 // 2026-01-01T00:00:00+08:00
        let vehicles: [VehicleClass] = Array(repeating: .small, count: 16) + [.large, .large, .nev, .nev, .nev, .disabled, .exempt]
        return (0..<count).map { _ in
            let from = yearStart + Int64(random.next() % (365 * 86_400))
            let bucket = random.next() % 100
            let minutes: UInt64 = bucket < 15 ? random.next() % 31 : bucket < 70 ? 30 + random.next() % 150 : bucket < 95 ? 180 + random.next() % 540 : 720 + random.next() % 719
            return Stay(
                zoneClass: ZoneClass(rawValue: Int(random.next() % 3) + 1)!,
                vehicle: vehicles[Int(random.next() % UInt64(vehicles.count))],
                from: from, to: from + Int64(minutes) * 60 + Int64(random.next() % 60)
            )
        }
    }

    static var description: String { "15% up to 30 min, 55% 30 min-3 h, 25% 3-12 h, 5% 12-24 h" }
}

extension Array where Element == StayMix.Stay {
    var summary: String { StayMix.description }
}

/// A small, fast, seeded generator so every run prices the same stays.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
