import CurbsideCore
import FluentKit
import Foundation
import SQLKit

/// What one round of fusion did.
public struct FusionRound: Sendable, Equatable {
    public var bays = 0
    public var sessionsWritten = 0
    public var sessionsRemoved = 0
    public var corrections = 0
}

/// Refolds the sessions of bays with new events. Ingestion queues each bay
/// with the time of its earliest new event; a round takes a batch of bays off
/// the queue, folds their events from the last checkpoint before that time,
/// and writes what changed, all in one transaction. On PostgreSQL several
/// servers can run rounds at once: a bay is taken by one of them only
/// (FOR UPDATE SKIP LOCKED).
public struct FusionProcessor: Sendable {
    public let store: Store
    public let database: any Database
    public let fold: SessionFold
    /// Checkpoints are taken this far behind a bay's newest event, so ordinary delays never need an older one.
    public var checkpointLag: Int64 = 15 * 60_000
    /// At most one checkpoint per bay in this time.
    public var checkpointSpacing: Int64 = 30 * 60_000
    /// Checkpoints older than this go, except each bay's newest.
    public var checkpointRetention: Int64 = 3 * 86_400_000

    public init(store: Store, database: any Database, rules: FusionRules = FusionRules()) {
        self.store = store
        self.database = database
        fold = SessionFold(rules: rules)
    }

    /// Processes up to `limit` queued bays. Returns zero bays when the queue is empty.
    @discardableResult
    public func runOnce(limit: Int = 100, now: Int64) async throws -> FusionRound {
        try await store.write(on: database) { db in
            let sql = db as! any SQLDatabase
            let dirty = try await dequeue(limit: limit, on: sql)
            guard !dirty.isEmpty else { return FusionRound() }
            let checkpoints = try await Self.checkpoints(before: dirty, on: sql)
            let eventsFrom = Dictionary(uniqueKeysWithValues: dirty.keys.map { ($0, checkpoints[$0]?.at ?? .min) })
            let sessionsFrom = Dictionary(uniqueKeysWithValues: dirty.keys.map { ($0, checkpoints[$0]?.firstAffectedStart ?? .min) })
            let events = try await Self.events(from: eventsFrom, on: sql)
            let stored = try await Self.sessions(from: sessionsFrom, on: sql)
            var round = FusionRound(bays: dirty.count)
            var writes: [SessionRow] = []
            var removals: [StoredSession] = []
            var corrections: [(session: String, kind: String, before: String, after: String?)] = []
            var newCheckpoints: [(bay: String, checkpoint: SessionFold.Checkpoint)] = []
            for bay in dirty.keys.sorted() {
                guard let code = try? BayCode(parsing: bay) else { continue }
                let rows = events[bay] ?? []
                let zone = rows.first?.zoneID ?? stored[bay]?.first?.row.zoneID ?? ""
                let existing = checkpoints[bay]
                let newest = rows.map(\.deviceTime).max() ?? .min
                let wanted = newest == .min ? nil : newest - checkpointLag
                let checkpointAt = wanted.flatMap { at in at > (existing?.at ?? .min) + checkpointSpacing ? at : nil }
                let result = fold.fold(rows.compactMap(\.deviceEvent), bay: code, from: existing, checkpointAt: checkpointAt)
                if let checkpoint = result.checkpoint, checkpointAt != nil { newCheckpoints.append((bay, checkpoint)) }
                let output = Dictionary(uniqueKeysWithValues: result.sessions.map { ($0.id, SessionRow($0, zoneID: zone)) })
                let before = Dictionary(uniqueKeysWithValues: (stored[bay] ?? []).map { ($0.row.id, $0) })
                for (id, old) in before where output[id] == nil {
                    removals.append(old)
                    if old.billedAt != nil { corrections.append((id, "void", old.row.json, nil)) }
                }
                for (id, row) in output.sorted(by: { $0.key < $1.key }) {
                    if let old = before[id] {
                        guard old.row != row else { continue }
                        if old.billedAt != nil { corrections.append((id, "correction", old.row.json, row.json)) }
                    }
                    writes.append(row)
                }
            }
            try await Self.write(writes, at: now, on: sql)
            try await Self.remove(removals, at: now, on: sql)
            for correction in corrections {
                try await sql.raw("""
                    INSERT INTO session_corrections (session_id, kind, before, after, reason, at_ms)
                    VALUES (\(bind: correction.session), \(bind: correction.kind), \(bind: correction.before), \(bind: correction.after),
                            'late device events changed a billed session', \(bind: now))
                    """).run()
            }
            try await saveCheckpoints(newCheckpoints, on: sql)
            round.sessionsWritten = writes.count
            round.sessionsRemoved = removals.count
            round.corrections = corrections.count
            return round
        }
    }

    /// Takes bays off the queue; the rows are deleted in this transaction, so a
    /// crash before the commit leaves them queued.
    func dequeue(limit: Int, on sql: any SQLDatabase) async throws -> [String: Int64] {
        struct Row: Decodable { var bay_code: String; var dirty_from_ms: Int64 }
        let skipLocked: SQLQueryString = store.kind == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let rows = try await sql.raw("""
            DELETE FROM fusion_queue WHERE bay_code IN (
                SELECT bay_code FROM fusion_queue ORDER BY queued_ms, bay_code LIMIT \(bind: limit)\(skipLocked))
            RETURNING bay_code, dirty_from_ms
            """).all(decoding: Row.self)
        return Dictionary(rows.map { ($0.bay_code, $0.dirty_from_ms) }) { min($0, $1) }
    }

    /// For each bay, its newest checkpoint at or before the earliest new event.
    static func checkpoints(before dirty: [String: Int64], on sql: any SQLDatabase) async throws -> [String: SessionFold.Checkpoint] {
        struct Row: Decodable { var bay_code: String; var state: String }
        let values = dirty.sorted { $0.key < $1.key }.map { "(CAST(\(bind: $0.key) AS TEXT), CAST(\(bind: $0.value) AS BIGINT))" as SQLQueryString }.joined(separator: ", ")
        let rows = try await sql.raw("""
            WITH d(bay_code, dirty_ms) AS (VALUES \(values))
            SELECT c.bay_code, c.state FROM fold_checkpoints c JOIN d ON c.bay_code = d.bay_code
            WHERE c.at_ms = (SELECT MAX(c2.at_ms) FROM fold_checkpoints c2 WHERE c2.bay_code = d.bay_code AND c2.at_ms <= d.dirty_ms)
            """).all(decoding: Row.self)
        let decoder = JSONDecoder()
        return Dictionary(try rows.map { ($0.bay_code, try decoder.decode(SessionFold.Checkpoint.self, from: Data($0.state.utf8))) }) { $1 }
    }

    /// Each bay's events from a time on.
    static func events(from times: [String: Int64], on sql: any SQLDatabase) async throws -> [String: [EventRow]] {
        let values = times.sorted { $0.key < $1.key }.map { "(CAST(\(bind: $0.key) AS TEXT), CAST(\(bind: $0.value) AS BIGINT))" as SQLQueryString }.joined(separator: ", ")
        let rows = try await sql.raw("""
            WITH f(bay_code, from_ms) AS (VALUES \(values))
            SELECT \(unsafeRaw: EventColumns.list) FROM device_events e JOIN f ON e.bay_code = f.bay_code AND e.device_time_ms >= f.from_ms
            """).all(decoding: EventColumns.self)
        var events: [String: [EventRow]] = [:]
        for row in rows {
            guard let event = row.eventRow else { continue }
            events[row.bay_code ?? "", default: []].append(event)
        }
        return events
    }

    /// Each bay's sessions starting at or after a time, voided ones left out.
    static func sessions(from times: [String: Int64], on sql: any SQLDatabase) async throws -> [String: [StoredSession]] {
        let values = times.sorted { $0.key < $1.key }.map { "(CAST(\(bind: $0.key) AS TEXT), CAST(\(bind: $0.value) AS BIGINT))" as SQLQueryString }.joined(separator: ", ")
        let rows = try await sql.raw("""
            WITH a(bay_code, from_ms) AS (VALUES \(values))
            SELECT \(unsafeRaw: SessionColumns.list.split(separator: ",").map { "s." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
            FROM parking_sessions s JOIN a ON s.bay_code = a.bay_code AND s.start_ms >= a.from_ms WHERE s.status <> 'void'
            """).all(decoding: SessionColumns.self)
        return Dictionary(grouping: rows.map(\.stored), by: \.row.bay)
    }

    static func write(_ rows: [SessionRow], at now: Int64, on sql: any SQLDatabase) async throws {
        for chunk in rows.chunks(of: 300) {
            let values = chunk.map { row -> SQLQueryString in
                let evidence = String(decoding: (try? JSONEncoder().encode(row.evidence)) ?? Data("[]".utf8), as: UTF8.self)
                return """
                    (\(bind: row.id), \(bind: row.bay), \(bind: row.zoneID), \(bind: row.start), \(bind: row.end), \(bind: row.plate),
                     \(bind: row.plateColour), \(bind: row.plateConfidence.map(Int16.init)), \(bind: row.plateSource), \(bind: row.quality),
                     \(bind: Int32(row.flags)), \(bind: evidence), \(bind: row.lastEvidence), \(bind: row.status.rawValue), \(bind: Int32(1)), \(bind: now))
                    """
            }.joined(separator: ", ")
            try await sql.raw("""
                INSERT INTO parking_sessions (id, bay_code, zone_id, start_ms, end_ms, plate, plate_colour, plate_confidence, plate_source,
                    quality, flags, evidence, last_evidence_ms, status, revision, updated_ms) VALUES \(values)
                ON CONFLICT (id) DO UPDATE SET end_ms = excluded.end_ms, plate = excluded.plate, plate_colour = excluded.plate_colour,
                    plate_confidence = excluded.plate_confidence, plate_source = excluded.plate_source, quality = excluded.quality,
                    flags = excluded.flags, evidence = excluded.evidence, last_evidence_ms = excluded.last_evidence_ms,
                    status = excluded.status, revision = parking_sessions.revision + 1, updated_ms = excluded.updated_ms
                """).run()
        }
    }

    /// Sessions the events no longer support: deleted, or kept as void when already billed.
    static func remove(_ sessions: [StoredSession], at now: Int64, on sql: any SQLDatabase) async throws {
        let billed = sessions.filter { $0.billedAt != nil }.map(\.row.id)
        let unbilled = sessions.filter { $0.billedAt == nil }.map(\.row.id)
        for chunk in billed.chunks(of: 500) {
            let list = chunk.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            try await sql.raw("UPDATE parking_sessions SET status = 'void', revision = revision + 1, updated_ms = \(bind: now) WHERE id IN (\(list))").run()
        }
        for chunk in unbilled.chunks(of: 500) {
            let list = chunk.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            try await sql.raw("DELETE FROM parking_sessions WHERE id IN (\(list))").run()
        }
    }

    func saveCheckpoints(_ checkpoints: [(bay: String, checkpoint: SessionFold.Checkpoint)], on sql: any SQLDatabase) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for (bay, checkpoint) in checkpoints {
            let state = String(decoding: try encoder.encode(checkpoint), as: UTF8.self)
            try await sql.raw("""
                INSERT INTO fold_checkpoints (bay_code, at_ms, state) VALUES (\(bind: bay), \(bind: checkpoint.at), \(bind: state))
                ON CONFLICT (bay_code, at_ms) DO UPDATE SET state = excluded.state
                """).run()
            try await sql.raw("""
                DELETE FROM fold_checkpoints WHERE bay_code = \(bind: bay) AND at_ms < \(bind: checkpoint.at - checkpointRetention)
                """).run()
        }
    }
}

/// The columns of device_events as SQL rows decode them.
struct EventColumns: Decodable {
    var device_id: String
    var event_id: String
    var gateway_id: String
    var bay_code: String?
    var zone_id: String?
    var kind: Int16
    var device_time_ms: Int64
    var received_ms: Int64
    var occupied: Bool?
    var battery: Int?
    var rssi: Int?
    var temperature_deci: Int?
    var plate: String?
    var plate_colour: String?
    var plate_confidence: Int?
    var images: String?

    static let list = "e.device_id, e.gateway_id, e.event_id, e.bay_code, e.zone_id, e.kind, e.device_time_ms, e.received_ms, e.occupied, e.battery, e.rssi, e.temperature_deci, e.plate, e.plate_colour, e.plate_confidence, e.images"

    var eventRow: EventRow? {
        guard let kind = EventKind(rawValue: kind) else { return nil }
        let images = images.flatMap { try? JSONDecoder().decode([EvidenceImageRef].self, from: Data($0.utf8)) } ?? []
        return EventRow(
            deviceID: device_id, eventID: event_id, gatewayID: gateway_id, bay: bay_code.flatMap { try? BayCode(parsing: $0) },
            zoneID: zone_id, kind: kind, deviceTime: device_time_ms, receivedTime: received_ms, occupied: occupied, battery: battery,
            rssi: rssi, temperatureDeci: temperature_deci, plate: plate.flatMap { try? Plate(parsing: $0) },
            plateColour: plate_colour.flatMap(PlateColour.init(rawValue:)), plateConfidence: plate_confidence, images: images
        )
    }
}
