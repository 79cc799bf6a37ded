import CurbsideCore
import FluentKit
import Foundation
import SQLKit

/// What storing a batch did.
public struct IngestOutcome: Sendable, Equatable {
    /// Events stored now.
    public var accepted = 0
    /// Events stored before (same device and event id): acknowledged again, stored once.
    public var duplicates = 0
    /// Evidence images the new events refer to that have not been uploaded yet.
    public var missingImages: [String] = []
    /// Positions (in the rows given) of events whose device and event id were stored
    /// before, or sent earlier in the batch, with other content: refused, kept for audit.
    public var conflicts: [Int] = []
}

/// Stores device events. One transaction per batch: the events, the work they
/// leave for the background rounds (bays to refold, device health) and the
/// live occupancy either all land or none does, and the batch is acknowledged
/// only after the commit.
public struct Ingestion: Sendable {
    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    public func ingest(_ rows: [EventRow], at now: Int64) async throws -> IngestOutcome {
        guard !rows.isEmpty else { return IngestOutcome() }
        return try await store.write(on: database) { db in
            let sql = db.sql
            var inserted: [String: Int64] = [:]
            var sends: [String: Int] = [:]
            var unique: [EventRow] = []
            for row in rows {
                sends[row.key, default: 0] += 1
                if sends[row.key] == 1 { unique.append(row) }
            }
            // In key order, as every table below is written in its key order: concurrent
            // batches sharing events (a gateway re-sending) then wait for each other, never deadlock.
            unique.sort { ($0.deviceID, $0.eventID) < ($1.deviceID, $1.eventID) }
            for chunk in unique.chunks(of: 400) {
                inserted.merge(try await Self.insert(chunk, kind: store.kind, on: sql)) { $1 }
            }
            if store.kind == .postgres {
                // Months are partitions, and a unique index holds the device time: the same id sent at another time is found here.
                let new = unique.compactMap { row in inserted[row.key].map { (row: row, id: $0) } }
                for key in try await Self.sentAtOtherTimes(new, on: sql) { inserted[key] = nil }
            }
            let fresh = unique.filter { inserted[$0.key] != nil }
            let repeated = unique.filter { inserted[$0.key] == nil }
            // A key sent before, or twice in the batch, is held against what it means: what was stored
            // before, or else the batch's first send of it. A send that differs is a conflict; one that
            // agrees, a duplicate. Keys sent once and new (nearly all) are not compared at all.
            var meaning = Dictionary(uniqueKeysWithValues: fresh.filter { sends[$0.key]! > 1 }.map { ($0.key, $0.content) })
            if !repeated.isEmpty {
                meaning.merge(try await Self.storedContent(repeated, near: store.kind == .postgres, on: sql)) { $1 }
            }
            let conflicts = meaning.isEmpty ? [] : rows.indices.filter { position in
                meaning[rows[position].key].map { $0 != rows[position].content } ?? false
            }
            if !conflicts.isEmpty { try await Self.recordConflicts(conflicts.map { rows[$0] }, at: now, on: sql) }
            var outcome = IngestOutcome(accepted: fresh.count, duplicates: rows.count - fresh.count - conflicts.count, conflicts: conflicts)
            guard !fresh.isEmpty else { return outcome }
            outcome.missingImages = try await Self.missingImages(fresh, on: sql)
            let work = IngestWork(fresh, lastEvent: inserted.values.max()!, receivedAt: now)
            try await sql.raw("INSERT INTO ingest_queue (queued_ms, work) VALUES (\(bind: now), \(bind: work.text))").run()
            // Occupancy rows are the only ones other batches also write: last, so their locks are held only until the commit.
            try await Self.updateOccupancy(fresh, at: now, on: sql)
            return outcome
        }
    }

    /// How far apart in device time two sends of one device's event id are one event on PostgreSQL: a resend carries
    /// the time of the first (or a little off it, from a device that corrected its clock in between). A device that uses
    /// an id again further off, a counter that started over, has a new event. Looking only this near keeps the look in
    /// the batch's own months, whose index pages ingestion is writing anyway: at 50,000 bays a look over the last 61
    /// days read the previous month's 42 GB from disk, a second a batch. (SQLite's plain table keeps each id for ever.)
    public static let sameIDNear: Int64 = Milliseconds.day

    /// Inserts new events, returning the keys of those not stored before, with their row ids. On PostgreSQL "before"
    /// is at the same device time: `sentAtOtherTimes` looks further.
    static func insert(_ rows: ArraySlice<EventRow>, kind: StoreKind, on sql: any SQLDatabase) async throws -> [String: Int64] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var builder = sql.insert(into: "device_events").columns(
            "device_id", "event_id", "gateway_id", "bay_code", "zone_id", "kind", "device_time_ms", "received_ms", "occupied",
            "battery", "rssi", "temperature_deci", "plate", "plate_colour", "plate_confidence", "images"
        )
        for row in rows {
            let images = row.images.isEmpty ? nil : String(decoding: try encoder.encode(row.images), as: UTF8.self)
            builder = builder.values([
                row.deviceID, row.eventID, row.gatewayID, row.bay?.rawValue, row.zoneID, row.kind.rawValue, row.deviceTime,
                row.receivedTime, row.occupied, row.battery.map(Int16.init), row.rssi.map(Int16.init), row.temperatureDeci.map(Int16.init),
                row.plate?.text, row.plateColour?.rawValue, row.plateConfidence.map(Int16.init), images,
            ] as [any Encodable & Sendable])
        }
        struct Key: Decodable { var id: Int64; var device_id: String; var event_id: String }
        let keys = try await builder.ignoringConflicts(with: kind == .postgres ? ["device_id", "event_id", "device_time_ms"] : ["device_id", "event_id"])
            .returning("id", "device_id", "event_id").all(decoding: Key.self)
        return Dictionary(keys.map { ($0.device_id + "/" + $0.event_id, $0.id) }) { $1 }
    }

    /// Of the events just inserted, those whose device and event id were stored before at another device time
    /// (within `sameIDNear` of theirs): they are taken out again, and the caller holds them against the first send.
    static func sentAtOtherTimes(_ inserted: [(row: EventRow, id: Int64)], on sql: any SQLDatabase) async throws -> [String] {
        struct Row: Decodable { var device_id: String; var event_id: String; var id: Int64 }
        var candidates: [Row] = []
        for chunk in inserted.chunks(of: 400) {
            let keys = chunk.map { "(CAST(\(bind: $0.row.deviceID) AS TEXT), CAST(\(bind: $0.row.eventID) AS TEXT), CAST(\(bind: $0.id) AS BIGINT))" as SQLQueryString }
            // From a day before the chunk's earliest event, as a constant: the plan leaves out the months before it and
            // probes each key's index entry in the rest. An upper bound too, or bounds per key, put the newest events'
            // times past the planner's statistics, and it scanned the month in progress instead (seconds a statement).
            // Keys found are held to their own day below.
            let earliest = chunk.map(\.row.deviceTime).min()!
            candidates += try await sql.raw("""
                WITH k(device_id, event_id, id) AS (VALUES \(keys.joined(separator: ", ")))
                SELECT k.device_id, k.event_id, k.id FROM k WHERE EXISTS (
                    SELECT 1 FROM device_events e WHERE e.device_id = k.device_id AND e.event_id = k.event_id AND e.id <> k.id
                    AND e.device_time_ms >= \(bind: earliest - sameIDNear))
                """).all(decoding: Row.self)
        }
        guard !candidates.isEmpty else { return [] }
        let ids = Dictionary(candidates.map { ($0.device_id + "/" + $0.event_id, $0.id) }) { $1 }
        let rows = inserted.filter { ids[$0.row.key] == $0.id }.map(\.row)
        var found: [String] = []
        for chunk in rows.chunks(of: 200) {
            let keys = chunk.map { row in
                """
                (e.device_id = \(bind: row.deviceID) AND e.event_id = \(bind: row.eventID) AND e.id <> \(bind: ids[row.key]!)
                 AND e.device_time_ms >= \(bind: row.deviceTime - sameIDNear) AND e.device_time_ms <= \(bind: row.deviceTime + sameIDNear))
                """ as SQLQueryString
            }.joined(separator: " OR ")
            struct Key: Decodable { var device_id: String; var event_id: String }
            found += try await sql.raw("SELECT DISTINCT e.device_id, e.event_id FROM device_events e WHERE \(keys)").all(decoding: Key.self)
                .map { $0.device_id + "/" + $0.event_id }
        }
        guard !found.isEmpty else { return [] }
        try await sql.raw("DELETE FROM device_events WHERE id IN (\(binds: found.compactMap { ids[$0] }))").run()
        return found
    }

    /// The latest reported state of each bay, unless a newer one is already stored.
    static func updateOccupancy(_ rows: [EventRow], at now: Int64, on sql: any SQLDatabase) async throws {
        var latest: [BayCode: EventRow] = [:]
        for row in rows {
            guard let bay = row.bay, row.reportedOccupancy != nil else { continue }
            if let current = latest[bay], (current.deviceTime, current.key) > (row.deviceTime, row.key) { continue }
            latest[bay] = row
        }
        guard !latest.isEmpty else { return }
        for chunk in latest.values.sorted(by: { $0.bay!.rawValue < $1.bay!.rawValue }).chunks(of: 400) {
            let values = chunk.map {
                "(\(bind: $0.bay!.rawValue), \(bind: $0.zoneID ?? ""), \(bind: $0.reportedOccupancy!), \(bind: $0.deviceTime), \(bind: $0.deviceID), \(bind: now))" as SQLQueryString
            }.joined(separator: ", ")
            try await sql.raw("""
                INSERT INTO bay_occupancy (bay_code, zone_id, occupied, state_ms, device_id, updated_ms) VALUES \(values)
                ON CONFLICT (bay_code) DO UPDATE SET occupied = excluded.occupied, state_ms = excluded.state_ms,
                    device_id = excluded.device_id, updated_ms = excluded.updated_ms
                WHERE excluded.state_ms >= bay_occupancy.state_ms
                """).run()
        }
    }

    /// What was stored under the keys of `rows` (`near`: within `sameIDNear` of each row's device time, as PostgreSQL keeps ids).
    static func storedContent(_ rows: [EventRow], near: Bool, on sql: any SQLDatabase) async throws -> [String: EventRow.Content] {
        var stored: [String: EventRow.Content] = [:]
        for chunk in rows.chunks(of: 200) {
            let keys = chunk.map { row in
                let time: SQLQueryString = near
                    ? " AND e.device_time_ms >= \(bind: row.deviceTime - sameIDNear) AND e.device_time_ms <= \(bind: row.deviceTime + sameIDNear)" : ""
                return "(e.device_id = \(bind: row.deviceID) AND e.event_id = \(bind: row.eventID)\(time))" as SQLQueryString
            }.joined(separator: " OR ")
            let found = try await EventColumns.all(sql.raw("SELECT \(unsafeRaw: EventColumns.list) FROM device_events e WHERE (\(keys))"))
            for row in found.compactMap(\.eventRow) { stored[row.key] = row.content }
        }
        return stored
    }

    static func recordConflicts(_ rows: [EventRow], at now: Int64, on sql: any SQLDatabase) async throws {
        for chunk in rows.chunks(of: 400) {
            let values = chunk.map {
                "(\(bind: $0.deviceID), \(bind: $0.eventID), \(bind: $0.gatewayID), \(bind: now), \(bind: $0.contentJSON))" as SQLQueryString
            }.joined(separator: ", ")
            try await sql.raw("INSERT INTO event_id_conflicts (device_id, event_id, gateway_id, received_ms, content) VALUES \(values)").run()
        }
    }

    /// Digests referred to by the events that no upload has provided yet.
    static func missingImages(_ rows: [EventRow], on sql: any SQLDatabase) async throws -> [String] {
        let digests = Array(Set(rows.flatMap { $0.images.map(\.sha256) })).sorted()
        guard !digests.isEmpty else { return [] }
        var stored = Set<String>()
        struct Row: Decodable { var sha256: String }
        for chunk in digests.chunks(of: 500) {
            let list = chunk.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            stored.formUnion(try await sql.raw("SELECT sha256 FROM evidence_images WHERE sha256 IN (\(list))").all(decoding: Row.self).map(\.sha256))
        }
        return digests.filter { !stored.contains($0) }
    }
}

extension Collection {
    /// Consecutive slices of at most `size` elements.
    func chunks(of size: Int) -> [SubSequence] {
        var result: [SubSequence] = []
        var start = startIndex
        while start != endIndex {
            let end = index(start, offsetBy: size, limitedBy: endIndex) ?? endIndex
            result.append(self[start..<end])
            start = end
        }
        return result
    }
}
