import CurbsideCore
import FluentKit
import SQLKit

/// What happened at the curb in a time window, for the CDS Events API: stays
/// that began or ended (park_start, park_end) and devices that fell silent or
/// came back (comms_lost, comms_restored).
public struct CurbEvents: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public struct Event: Sendable, Equatable {
        public enum Kind: String, Sendable {
            case parkStart = "park_start"
            case parkEnd = "park_end"
            case commsLost = "comms_lost"
            case commsRestored = "comms_restored"
        }

        public var kind: Kind
        public var at: Int64
        /// When Curbside published it: the session's last change, or the status record's time.
        public var publishedAt: Int64
        public var session: String?
        public var bay: String?
        /// The session's quality, telling which device saw it.
        public var quality: String?
        public var device: String?
        public var deviceKind: String?
    }

    /// Events with `from <= time < until`, newest first.
    public func events(from: Int64, until: Int64) async throws -> [Event] {
        struct Stay: Decodable { var id: String; var bay_code: String; var start_ms: Int64; var end_ms: Int64?; var quality: String; var updated_ms: Int64 }
        struct Status: Decodable { var device_id: String; var kind: String; var at_ms: Int64; var device_kind: String? }
        let sql = database.sql
        let stays = try await sql.raw("""
            SELECT id, bay_code, start_ms, end_ms, quality, updated_ms FROM parking_sessions
            WHERE status <> 'void' AND ((start_ms >= \(bind: from) AND start_ms < \(bind: until)) OR (end_ms >= \(bind: from) AND end_ms < \(bind: until)))
            """).all(decoding: Stay.self)
        let statuses = try await sql.raw("""
            SELECT e.device_id, e.kind, e.at_ms, d.kind AS device_kind FROM device_status_events e LEFT JOIN devices d ON d.device_id = e.device_id
            WHERE e.at_ms >= \(bind: from) AND e.at_ms < \(bind: until)
            """).all(decoding: Status.self)
        var events: [Event] = []
        for stay in stays {
            if (from..<until).contains(stay.start_ms) {
                events.append(Event(kind: .parkStart, at: stay.start_ms, publishedAt: stay.updated_ms, session: stay.id, bay: stay.bay_code, quality: stay.quality))
            }
            if let end = stay.end_ms, (from..<until).contains(end) {
                events.append(Event(kind: .parkEnd, at: end, publishedAt: stay.updated_ms, session: stay.id, bay: stay.bay_code, quality: stay.quality))
            }
        }
        for status in statuses {
            guard let kind = Event.Kind(rawValue: status.kind) else { continue }
            events.append(Event(kind: kind, at: status.at_ms, publishedAt: status.at_ms, device: status.device_id, deviceKind: status.device_kind))
        }
        return events.sorted { ($0.at, $0.kind.rawValue, $0.session ?? $0.device ?? "") > ($1.at, $1.kind.rawValue, $1.session ?? $1.device ?? "") }
    }
}
