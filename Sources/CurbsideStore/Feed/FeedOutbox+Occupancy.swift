import CurbsideCore
import FluentKit
import Foundation
import SQLKit

extension FeedOutbox {
    /// Queues the occupied and free counts of each road segment that changed since last sent, or was
    /// last sent `refresh` ms ago or more, and records what was sent; returns how many went in. Counts
    /// are the availability API's: open bays of open zones, a bay unknown once its device has been
    /// silent for `freshness` ms. What was sent is kept in `feed_occupancy`, and on PostgreSQL one
    /// server at a time does this (the others skip the round), so nothing is queued twice.
    @discardableResult
    public func publishOccupancy(now: Int64, freshness: Int64, refresh: Int64 = 600_000) async throws -> Int {
        // Counted before the transaction, which on SQLite holds the one write lock ingestion waits for (70 ms a round
        // for 820 bays in a debug build); counts another server took later are not sent over (`FeedOccupancy.due`).
        let zones = try await Registry(store: store, database: database)
            .availability(at: Date(milliseconds: now), freshness: freshness)
        let current = zones.flatMap { zone in
            zone.segments.map { segment, counts in
                FeedOccupancy(
                    segment: segment.spec.id, zone: zone.zone.spec.id, bays: counts.total, occupied: counts.occupied ?? 0, free: counts.free ?? 0,
                    unknown: counts.unknown, evBays: counts.evTotal, evFree: counts.evFree ?? 0
                )
            }
        }
        let kind = store.kind
        return try await store.write(on: database) { db in
            let sql = db.sql
            if kind == .postgres {
                struct Lock: Decodable { var locked: Bool }
                let lock = try await sql.raw("SELECT pg_try_advisory_xact_lock(hashtext('curbside.feed_occupancy')) AS locked").first(decoding: Lock.self)
                guard lock?.locked == true else { return 0 }
            }
            struct Row: Decodable { var segment_id: String; var counts: String; var sent_ms: Int64 }
            let decoder = JSONDecoder()
            var last: [String: (counts: FeedOccupancy, at: Int64)] = [:]
            for row in try await sql.raw("SELECT segment_id, counts, sent_ms FROM feed_occupancy").all(decoding: Row.self) {
                last[row.segment_id] = (try decoder.decode(FeedOccupancy.self, from: Data(row.counts.utf8)), row.sent_ms)
            }
            let due = FeedOccupancy.due(current, last: last, now: now, refresh: refresh)
            try await FeedOutbox.add(due.map { FeedRecord(kind: .occupancy, bay: $0.segment, at: now, occupancy: $0) }, on: sql)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            for chunk in due.chunks(of: 300) {
                let values = try chunk.map { counts -> SQLQueryString in
                    "(\(bind: counts.segment), \(bind: String(decoding: try encoder.encode(counts), as: UTF8.self)), \(bind: now))"
                }.joined(separator: ", ")
                try await sql.raw("""
                    INSERT INTO feed_occupancy (segment_id, counts, sent_ms) VALUES \(values)
                    ON CONFLICT (segment_id) DO UPDATE SET counts = excluded.counts, sent_ms = excluded.sent_ms
                    """).run()
            }
            return due.count
        }
    }
}
