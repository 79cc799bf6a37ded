import CurbsideCore
import FluentKit
import Foundation
import SQLKit

/// The durable queue of records for the city platform. Records are added in
/// the transaction of the change they report, so none is lost and none is
/// sent for a change that was rolled back; they leave strictly in id order,
/// which keeps every bay's records in order, and a batch that fails is
/// retried whole with growing back-off, so nothing overtakes it.
public struct FeedOutbox: Sendable {
    let store: Store
    let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    /// A record waiting to be sent: its JSON as stored, and how often sending it has failed.
    public struct Pending: Sendable, Equatable {
        public var id: Int64
        public var payload: String
        public var attempts: Int
    }

    static func add(_ records: [FeedRecord], on sql: any SQLDatabase) async throws {
        guard !records.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for chunk in records.chunks(of: 300) {
            let values = try chunk.map { record -> SQLQueryString in
                let payload = String(decoding: try encoder.encode(record), as: UTF8.self)
                // Due at once: only a failed attempt sets a later time.
                return "(\(bind: record.bay), \(bind: record.kind.rawValue), \(bind: payload), \(bind: record.at), 0, 0)"
            }.joined(separator: ", ")
            try await sql.raw("INSERT INTO feed_outbox (bay_code, kind, payload, created_ms, attempts, next_ms) VALUES \(values)").run()
        }
    }

    /// Claims the oldest unsent records, in order, if the first of them is due by
    /// `now`: the head's next try moves `lease` ms on, so another instance leaves
    /// the batch alone while this one sends it, and takes it over if this one dies.
    public func claim(now: Int64, limit: Int, lease: Int64) async throws -> [Pending] {
        // A plain read first: polling an empty or waiting queue takes no write lock.
        struct Head: Decodable { var next_ms: Int64 }
        let head = try await database.sql.raw("SELECT next_ms FROM feed_outbox WHERE sent_ms IS NULL ORDER BY id LIMIT 1").first(decoding: Head.self)
        guard let head, head.next_ms <= now else { return [] }
        return try await store.write(on: database) { db in
            struct Row: Decodable { var id: Int64; var payload: String; var attempts: Int; var next_ms: Int64 }
            struct Claimed: Decodable { var id: Int64 }
            let sql = db.sql
            let rows = try await sql.raw("""
                SELECT id, payload, attempts, next_ms FROM feed_outbox WHERE sent_ms IS NULL ORDER BY id LIMIT \(bind: limit)
                """).all(decoding: Row.self)
            guard let head = rows.first, head.next_ms <= now else { return [] }
            let claimed = try await sql.raw("""
                UPDATE feed_outbox SET next_ms = \(bind: now + lease) WHERE id = \(bind: head.id) AND next_ms = \(bind: head.next_ms) RETURNING id
                """).all(decoding: Claimed.self)
            guard !claimed.isEmpty else { return [] }
            return rows.map { Pending(id: $0.id, payload: $0.payload, attempts: $0.attempts) }
        }
    }

    /// Marks exactly the records sent (a record committed late with a lower id stays queued).
    public func markSent(_ ids: [Int64], now: Int64) async throws {
        try await store.write(on: database) { db in
            let list = ids.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            try await db.sql.raw("UPDATE feed_outbox SET sent_ms = \(bind: now), last_error = NULL WHERE id IN (\(list))").run()
        }
    }

    /// Records a failed attempt on the head of the queue; the batch is tried again from `next`.
    public func markFailed(_ id: Int64, error: String, next: Int64) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("""
                UPDATE feed_outbox SET attempts = attempts + 1, next_ms = \(bind: next), last_error = \(bind: String(error.prefix(500))) WHERE id = \(bind: id)
                """).run()
        }
    }

    /// Sent records older than `before` are dropped (the platform keeps its own copy).
    public func purge(sentBefore before: Int64) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("DELETE FROM feed_outbox WHERE sent_ms < \(bind: before)").run()
        }
    }

    /// How many records wait to be sent.
    public func backlog() async throws -> Int {
        struct Row: Decodable { var n: Int }
        return try await database.sql.raw("SELECT COUNT(*) AS n FROM feed_outbox WHERE sent_ms IS NULL").first(decoding: Row.self)?.n ?? 0
    }
}
