import CurbsideCore
import Foundation

/// A simulated day on disk: `<name>.events.ndjson.gz` (the events in receiving
/// order) and `<name>.sessions.ndjson.gz` (the sessions they must produce).
public struct DayFixture: Sendable {
    public var directory: String
    public var name: String

    public init(directory: String, name: String) {
        self.directory = directory
        self.name = name
    }

    public var eventsPath: String { "\(directory)/\(name).events.ndjson.gz" }
    public var sessionsPath: String { "\(directory)/\(name).sessions.ndjson.gz" }

    public func write(_ simulation: DaySimulation, clock: ZoneClock) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try GzipFile.write(Data(simulation.eventLines(in: clock).utf8), to: eventsPath)
        try GzipFile.write(Data(simulation.sessionLines(in: clock).utf8), to: sessionsPath)
    }

    /// The events, one JSON object per line, as sent.
    public func eventLines() throws -> [Substring] {
        try Self.lines(GzipFile.read(eventsPath))
    }

    public func sessionLines() throws -> [Substring] {
        try Self.lines(GzipFile.read(sessionsPath))
    }

    static func lines(_ data: Data) -> [Substring] {
        String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
    }
}
