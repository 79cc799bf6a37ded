import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

/// A scenario from Fixtures/fusion, for pushing through the gateway API.
public struct FusionScenario: Sendable {
    public struct Session: Decodable, Sendable, Equatable, CustomStringConvertible {
        public var bay: String
        public var start: String
        public var end: String?
        public var plate: String?
        public var quality: String
        public var flags: [String]
        public var evidence: [String]

        public var description: String { "\(bay) \(start)–\(end ?? "open") \(plate ?? "-") \(quality) \(flags)" }
    }

    public var name: String
    public var description: String
    /// The events as JSON objects, in the order a gateway sends them.
    public var events: [[String: any Sendable]]
    public var sessions: [Session]

    public static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: RepositoryPaths.fixtures + "/fusion")) ?? [])
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    public static func load(_ name: String) throws -> FusionScenario {
        let data = try Data(contentsOf: URL(fileURLWithPath: RepositoryPaths.fixtures + "/fusion/\(name).json"))
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        struct Expected: Decodable { var sessions: [Session] }
        let expected = try JSONDecoder().decode(Expected.self, from: data)
        let events = (object["events"] as! [[String: Any]]).map { event in
            event.filter { $0.key != "received_at" }.mapValues { $0 as! (any Sendable) }
        }
        return FusionScenario(name: name, description: object["description"] as! String, events: events, sessions: expected.sessions)
    }

    /// 16:00 on the fixtures' day in Shanghai: after every event, so none is in the future.
    public static let clockTime = Date(timeIntervalSince1970: 1_795_161_600)

    /// A session from the API as the fixture writes it (times in +08:00).
    public static func session(_ session: Components.Schemas.Session) -> Session {
        func local(_ date: Date) -> String {
            LocalDateTime.format(Int64(date.timeIntervalSince1970), in: ZoneClock(identifier: "Asia/Shanghai")!)
        }
        return Session(
            bay: session.bay, start: local(session.start), end: session.end.map(local), plate: session.plate?.text,
            quality: session.quality.rawValue, flags: session.flags.map(\.rawValue), evidence: session.evidence
        )
    }
}
