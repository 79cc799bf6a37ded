import CurbsideCore
import FluentKit
import SQLKit

/// Beats: the road segments an officer walks, in walking order.
public struct Beats: Sendable {
    public struct Beat: Sendable, Equatable {
        public var id: String
        public var name: String
        /// In walking order.
        public var segments: [String]

        public init(id: String, name: String, segments: [String]) {
            self.id = id
            self.name = name
            self.segments = segments
        }
    }

    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    public func create(_ beat: Beat, by principal: Principal, now: Int64) async throws {
        guard !beat.segments.isEmpty, Set(beat.segments).count == beat.segments.count else {
            throw PatrolError.invalid("A beat needs at least one road segment, each once.")
        }
        try await store.write(on: database) { db in
            let sql = db.sql
            guard try await Self.beat(beat.id, on: sql) == nil else { throw PatrolError.exists(.beat, beat.id) }
            struct Row: Decodable { var id: String }
            let list = beat.segments.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            let known = Set(try await sql.raw("SELECT id FROM road_segments WHERE id IN (\(list))").all(decoding: Row.self).map(\.id))
            if let missing = beat.segments.first(where: { !known.contains($0) }) { throw PatrolError.notFound(.segment, missing) }
            try await sql.raw("INSERT INTO beats (id, name, created_ms) VALUES (\(bind: beat.id), \(bind: beat.name), \(bind: now))").run()
            for (order, segment) in beat.segments.enumerated() {
                try await sql.raw("INSERT INTO beat_segments (beat_id, segment_id, ord) VALUES (\(bind: beat.id), \(bind: segment), \(bind: Int32(order)))").run()
            }
            try await AuditLog.record("create_beat", subject: beat.id, by: principal, detail: ["segments": beat.segments.joined(separator: ",")], at: now, on: sql)
        }
    }

    public func beats() async throws -> [Beat] {
        let sql = database.sql
        struct Row: Decodable { var id: String }
        var beats: [Beat] = []
        for row in try await sql.raw("SELECT id FROM beats ORDER BY id").all(decoding: Row.self) {
            if let beat = try await Self.beat(row.id, on: sql) { beats.append(beat) }
        }
        return beats
    }

    public func beat(_ id: String) async throws -> Beat? {
        try await Self.beat(id, on: database.sql)
    }

    static func beat(_ id: String, on sql: any SQLDatabase) async throws -> Beat? {
        struct Head: Decodable { var id: String; var name: String }
        struct Segment: Decodable { var segment_id: String }
        guard let head = try await sql.raw("SELECT id, name FROM beats WHERE id = \(bind: id)").first(decoding: Head.self) else { return nil }
        let segments = try await sql.raw("SELECT segment_id FROM beat_segments WHERE beat_id = \(bind: id) ORDER BY ord").all(decoding: Segment.self)
        return Beat(id: head.id, name: head.name, segments: segments.map(\.segment_id))
    }

    /// Whether a bay lies on a beat.
    public func contains(beat: String, bay: String) async throws -> Bool {
        struct Row: Decodable { var code: String }
        return try await database.sql.raw("""
            SELECT b.code FROM bays b JOIN beat_segments s ON s.segment_id = b.segment_id WHERE s.beat_id = \(bind: beat) AND b.code = \(bind: bay)
            """).first(decoding: Row.self) != nil
    }
}
