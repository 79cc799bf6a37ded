import CurbsideCore
import CurbsideSimulation
import Foundation

/// The realistic day of the sample district in Fixtures/day.
public enum SimulatedDay {
    public static let fixture = DayFixture(directory: RepositoryPaths.fixtures + "/day", name: "heshan-shaping-2026-11-20")
    /// The settings `curbside simulate day` uses by default, which made the fixture.
    public static let settings = DaySimulator.Settings(day: LocalDate("2026-11-20")!, clock: ZoneClock(identifier: "Asia/Shanghai")!, seed: 20_261_120)
    /// 00:30 the next morning in Shanghai: after every event of the day.
    public static let clockTime = Date(timeIntervalSince1970: 1_795_192_200)

    /// The expected sessions, in the fixtures' form.
    public static func expectedSessions() throws -> [FusionScenario.Session] {
        let decoder = JSONDecoder()
        return try fixture.sessionLines().map { try decoder.decode(FusionScenario.Session.self, from: Data($0.utf8)) }
    }

    /// Request bodies for POST /v1/gateway/events, `size` events each, in the order sent.
    public static func batches(size: Int) throws -> [Data] {
        let lines = try fixture.eventLines()
        return stride(from: 0, to: lines.count, by: size).map { start in
            Data(("{\"events\":[" + lines[start..<min(start + size, lines.count)].joined(separator: ",") + "]}").utf8)
        }
    }
}
