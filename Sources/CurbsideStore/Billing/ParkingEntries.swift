import CurbsideCore
import FluentKit
import SQLKit

/// Stays entered with a channel's parking service (WeChat Pay's, or Alipay's
/// parking platform): each stay of a plate set to pay through one is entered
/// once, while the car is parked (or, at the latest, when its bill's
/// deduction is asked for), and keeps the entry's state as the channel
/// reports it: a blocked entry cannot be charged.
public struct ParkingEntries: Sendable {
    public struct Entry: Sendable, Equatable {
        public enum State: String, Sendable, Codable {
            /// To be entered (again, after an attempt that went unanswered).
            case pending
            /// Entered; the stay can be charged.
            case normal
            /// Entered, and not chargeable (`blockReason`: PAUSE, OVERDUE, REMOVE ...).
            case blocked
            /// Not entered: WeChat Pay refused it, or never answered.
            case failed
        }

        public var session: String
        /// `wechat` or `alipay`.
        public var channel: String
        public var plate: String
        public var colour: String
        public var parkingID: String?
        public var state: State
        public var blockReason: String?
        public var attempts: Int
        /// What the entry tells WeChat Pay: when the stay began, and where.
        public var start: Int64
        public var place: String
    }

    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    /// Adds an entry to make for every open stay of a plate set to pay through `methods` that has none.
    public func scheduleParked(methods: [AutoPayMethod], now: Int64) async throws {
        guard !methods.isEmpty else { return }
        try await store.write(on: database) { db in
            try await db.sql.raw("""
                INSERT INTO parking_entries (session_id, channel, plate, plate_colour, state, attempts, next_ms, created_ms, updated_ms)
                SELECT s.id, a.method, s.plate, s.plate_colour, 'pending', 0, \(bind: now), \(bind: now), \(bind: now)
                FROM parking_sessions s JOIN auto_pay a ON a.plate = s.plate AND a.plate_colour = s.plate_colour
                WHERE s.status = 'open' AND a.method IN (\(binds: methods.map(\.rawValue)))
                  AND NOT EXISTS (SELECT 1 FROM parking_entries e WHERE e.session_id = s.id)
                ON CONFLICT DO NOTHING
                """).run()
        }
    }

    /// Adds the entry of one stay with `method`'s channel, if it has none (a stay billed before the job entered it).
    public func schedule(session: String, method: AutoPayMethod, now: Int64) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("""
                INSERT INTO parking_entries (session_id, channel, plate, plate_colour, state, attempts, next_ms, created_ms, updated_ms)
                SELECT s.id, \(bind: method.rawValue), s.plate, s.plate_colour, 'pending', 0, \(bind: now), \(bind: now), \(bind: now)
                FROM parking_sessions s WHERE s.id = \(bind: session) AND s.plate IS NOT NULL
                ON CONFLICT DO NOTHING
                """).run()
        }
    }

    /// Claims up to `limit` entries to make, leased for a minute.
    public func claimDue(now: Int64, limit: Int) async throws -> [Entry] {
        try await store.write(on: database) { db in
            let sql = db.sql
            let skip: SQLQueryString = store.kind == .postgres ? "FOR UPDATE OF e SKIP LOCKED" : ""
            let due = try await sql.raw("""
                SELECT \(Self.columns) FROM parking_entries e \(Self.joins)
                WHERE e.state = 'pending' AND e.next_ms <= \(bind: now) ORDER BY e.next_ms, e.session_id LIMIT \(bind: limit) \(skip)
                """).all(decoding: EntryColumns.self).map(\.entry)
            guard !due.isEmpty else { return [] }
            try await sql.raw("""
                UPDATE parking_entries SET next_ms = \(bind: now + Milliseconds.minute), attempts = attempts + 1
                WHERE session_id IN (\(binds: due.map(\.session)))
                """).run()
            return due
        }
    }

    public func entry(session: String) async throws -> Entry? {
        try await database.sql.raw("SELECT \(Self.columns) FROM parking_entries e \(Self.joins) WHERE e.session_id = \(bind: session)")
            .first(decoding: EntryColumns.self)?.entry
    }

    /// Records what WeChat Pay answered or notified of an entry: entered (normal or blocked), or failed for good.
    public func update(session: String, parkingID: String?, state: Entry.State, blockReason: String?, now: Int64) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("""
                UPDATE parking_entries SET parking_id = COALESCE(\(bind: parkingID), parking_id), state = \(bind: state.rawValue),
                  block_reason = \(bind: blockReason), next_ms = NULL, updated_ms = \(bind: now)
                WHERE session_id = \(bind: session)
                """).run()
        }
    }

    /// Not answered: tried again at `next`.
    public func retry(session: String, next: Int64, now: Int64) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("UPDATE parking_entries SET next_ms = \(bind: next), updated_ms = \(bind: now) WHERE session_id = \(bind: session)").run()
        }
    }

    static let columns: SQLQueryString = """
        e.session_id, e.channel, e.plate, e.plate_colour, e.parking_id, e.state, e.block_reason, e.attempts, s.start_ms, z.name AS zone_name, s.bay_code
        """
    static let joins: SQLQueryString = "JOIN parking_sessions s ON s.id = e.session_id JOIN zones z ON z.id = s.zone_id"
}

struct EntryColumns: Decodable {
    var session_id: String
    var channel: String
    var plate: String
    var plate_colour: String
    var parking_id: String?
    var state: String
    var block_reason: String?
    var attempts: Int
    var start_ms: Int64
    var zone_name: String
    var bay_code: String

    var entry: ParkingEntries.Entry {
        ParkingEntries.Entry(
            session: session_id, channel: channel, plate: plate, colour: plate_colour, parkingID: parking_id, state: .init(rawValue: state) ?? .failed,
            blockReason: block_reason, attempts: attempts, start: start_ms, place: "\(zone_name) \(bay_code)"
        )
    }
}
