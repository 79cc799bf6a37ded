import CurbsideCore
import FluentKit
import Foundation
import SQLKit

/// What one round of fusion did.
public struct FusionRound: Sendable, Equatable {
    /// Stored batches whose work the round took; zero when the queue was empty.
    public var batches = 0
    public var bays = 0
    /// Bays put back for a later round: folded on another server, held off by a registry change, or past `baysPerRound`.
    public var deferred = 0
    public var sessionsWritten = 0
    public var sessionsRemoved = 0
    public var corrections = 0
}

/// Does the work stored batches queue: records device health, and refolds the
/// sessions of bays with new events. Each batch queues its bays with the time
/// of their earliest new event; a round takes queued batches, folds their bays'
/// new events, and writes what changed, all in one transaction. On PostgreSQL
/// several servers can run rounds at once: each takes other batches (FOR
/// UPDATE SKIP LOCKED), and a bay is folded by one of them at a time (an
/// advisory lock per bay, `FoldLock`; a bay locked elsewhere is queued again).
///
/// Each bay keeps its fold state a little behind its newest event (the tail):
/// new events fold on from it, reading only the few events since. Devices'
/// reports of one moment reach us in any order within seconds, and the tail's
/// allowance keeps that from costing anything. An event later than that folds
/// from the newest spaced checkpoint before it. Those lie on grids of device
/// time (`CheckpointTiers`: every 30 minutes recently, every day or week further
/// back) and are taken once the bay's events are well past them; a refold from
/// further back fills in every point it passes, so a late event's refold never
/// starts more than one of its tier's spacings before it. The fold
/// takes into account what a bay's camera read at its neighbours
/// (NeighbourReads): a camera's read earlier than a bay's folded events
/// refolds that bay from the read; a later one waits for the bay's next events.
public struct FusionProcessor: Sendable {
    public let store: Store
    public let database: any Database
    public let fold: SessionFold
    /// The tail stays this far behind a bay's newest event, so that reports this late fold on from it.
    public var disorderAllowance: Int64 = 2 * Milliseconds.minute
    /// Where spaced checkpoints are taken and how long each is kept...
    public var checkpoints = CheckpointTiers.standard
    /// ...taken once the bay's newest event is this far past them.
    public var checkpointLag: Int64 = 15 * Milliseconds.minute
    /// On PostgreSQL a round holds a lock per bay it folds: this many keep one round within the default lock
    /// table however far the queue has backed up (`FoldLock`); the rest wait for the next round.
    public var baysPerRound = 4_000

    public init(store: Store, database: any Database, rules: FusionRules = FusionRules()) {
        self.store = store
        self.database = database
        fold = SessionFold(rules: rules)
    }

    /// Where one bay's refold starts.
    struct Start {
        var checkpoint: SessionFold.Checkpoint?
        /// The newest spaced checkpoint's time.
        var spaced: Int64?
        /// The newest event (row id) the bay's stored fold has taken in.
        var covered: Int64 = 0
    }

    /// Takes up to `batches` queued batches and does their work. Returns zero
    /// batches when the queue is empty.
    @discardableResult
    public func runOnce(batches: Int = 32, now: Int64) async throws -> FusionRound {
        try await store.write(on: database) { db in
            let sql = db.sql
            guard let (taken, queued) = try await take(batches, on: sql) else { return FusionRound() }
            var work = queued
            try await DeviceReport.record(work.devices, on: sql)
            if let cameras = work.cameras {
                work.bays.merge(try await NeighbourReads.bays(watchedBy: cameras, allowance: disorderAllowance, on: sql), uniquingKeysWith: min)
                work.cameras = nil
            }
            let dirty = try await claim(work, now: now, on: sql)
            var round = FusionRound(batches: taken, bays: dirty.count)
            round.deferred = work.bays.count - dirty.count
            guard !dirty.isEmpty else { return round }
            let starts = try await starts(for: dirty, on: sql)
            let from = starts.mapValues { $0.checkpoint?.at ?? .min }
            // Through at least what the bays' stored folds cover: another server may have folded newer events of these
            // bays while this round waited for their locks, and a fold that stopped short would take them back out.
            let through = max(work.lastEvent, starts.values.map(\.covered).max() ?? 0)
            let events = try await Self.events(from: from, through: through, on: sql)
            let neighbours = try await NeighbourReads.load(from: from, through: through, on: sql)
            let stored = try await Self.sessions(from: starts.mapValues { $0.checkpoint?.firstAffectedStart ?? .min }, on: sql)
            var writes: [SessionRow] = []
            var removals: [StoredSession] = []
            var corrections: [(session: String, kind: String, before: String, after: String?)] = []
            var tails: [(bay: String, tail: SessionFold.Checkpoint, spaced: Int64?)] = []
            var spaced: [(bay: String, checkpoint: SessionFold.Checkpoint)] = []
            var feed: [FeedRecord] = []
            var stays: [(before: SessionRow?, after: SessionRow?)] = []
            for bay in dirty.keys.sorted() {
                guard let code = try? BayCode(parsing: bay), let start = starts[bay] else { continue }
                let rows = events[bay] ?? []
                let zone = rows.first?.zoneID ?? stored[bay]?.first?.row.zoneID ?? ""
                let times = rows.map(\.deviceTime)
                let (spacedAt, tailAt) = checkpointTimes(start: start, first: times.min(), newest: times.max())
                let result = fold.fold(
                    rows.compactMap(\.deviceEvent), bay: code, neighbours: neighbours[bay] ?? [], from: start.checkpoint,
                    checkpointsAt: spacedAt + [tailAt].compactMap { $0 }
                )
                spaced += result.checkpoints.prefix(spacedAt.count).map { (bay, $0) }
                if tailAt != nil { tails.append((bay, result.checkpoints.last!, spacedAt.last ?? start.spaced)) }
                let output = Dictionary(uniqueKeysWithValues: result.sessions.map { ($0.id, SessionRow($0, zoneID: zone)) })
                let before = Dictionary(uniqueKeysWithValues: (stored[bay] ?? []).map { ($0.row.id, $0) })
                for (id, old) in before.sorted(by: { $0.key < $1.key }) where output[id] == nil {
                    removals.append(old)
                    stays.append((old.row, nil))
                    feed += FeedRecord.changes(from: old.row.feedStay, to: nil, at: now)
                    if old.billedAt != nil { corrections.append((id, "void", old.row.json, nil)) }
                }
                for (id, row) in output.sorted(by: { $0.key < $1.key }) {
                    feed += FeedRecord.changes(from: before[id]?.row.feedStay, to: row.feedStay, at: now)
                    if let old = before[id] {
                        guard old.row != row else { continue }
                        if old.billedAt != nil { corrections.append((id, "correction", old.row.json, row.json)) }
                    }
                    writes.append(row)
                    stays.append((before[id]?.row, row))
                }
            }
            try await Self.write(writes, at: now, on: sql)
            try await Self.remove(removals, at: now, on: sql)
            try await StayRollups.record(stays, on: sql)
            try await SegmentQuarters.record(stays, on: sql)
            try await FeedOutbox.add(feed, on: sql)
            for chunk in corrections.chunks(of: 300) {
                let rows = chunk.map { correction -> SQLQueryString in
                    """
                    (\(bind: correction.session), \(bind: correction.kind), \(bind: correction.before), \(bind: correction.after),
                     'events received after billing changed a billed session', \(bind: now))
                    """
                }.joined(separator: ", ")
                try await sql.raw("INSERT INTO session_corrections (session_id, kind, before, after, reason, at_ms) VALUES \(rows)").run()
            }
            try await Self.saveCheckpoints(spaced, on: sql)
            try await saveTails(tails, through: through, on: sql)
            try await Self.cover(Array(dirty.keys), through: through, on: sql)
            round.sessionsWritten = writes.count
            round.sessionsRemoved = removals.count
            round.corrections = corrections.count
            return round
        }
    }

    /// Where a fold from `start` over events from `first` to `newest` takes its
    /// checkpoints: the points it passes that the tiers keep, lie far enough behind
    /// the newest event and are not stored yet, and the new tail. Checkpoints only
    /// ever move forwards from where the fold starts.
    func checkpointTimes(start: Start, first: Int64?, newest: Int64?) -> (spaced: [Int64], tail: Int64?) {
        guard let first, let newest else { return ([], nil) }
        let from = start.checkpoint?.at ?? .min
        let tail = newest - disorderAllowance > from ? newest - disorderAllowance : nil
        let after = max(start.checkpoint.map { $0.at - 1 } ?? .min, start.spaced ?? .min, first - 1)
        return (checkpoints.points(after: after, through: newest - checkpointLag, newest: newest), tail)
    }

    /// A bay whose new events all come at or after its tail folds on from the tail.
    /// Any other refolds from its newest spaced checkpoint before its new events,
    /// and the spaced checkpoints after them no longer hold and go.
    func starts(for dirty: [String: Int64], on sql: any SQLDatabase) async throws -> [String: Start] {
        let tails = try await Self.tails(of: dirty.keys.sorted(), on: sql)
        var starts: [String: Start] = [:]
        var behind: [String: Int64] = [:]
        for (bay, from) in dirty {
            guard let tail = tails[bay], from >= tail.checkpoint.at else {
                behind[bay] = from
                continue
            }
            starts[bay] = Start(checkpoint: tail.checkpoint, spaced: tail.spaced, covered: tail.covered)
        }
        guard !behind.isEmpty else { return starts }
        let checkpoints = try await Self.checkpoints(before: behind, on: sql)
        try await sql.raw("""
            WITH d(bay_code, from_ms) AS (VALUES \(Self.values(behind)))
            DELETE FROM fold_checkpoints WHERE EXISTS (
                SELECT 1 FROM d WHERE d.bay_code = fold_checkpoints.bay_code AND fold_checkpoints.at_ms > d.from_ms)
            """).run()
        for bay in behind.keys {
            starts[bay] = Start(checkpoint: checkpoints[bay], spaced: checkpoints[bay]?.at, covered: tails[bay]?.covered ?? 0)
        }
        return starts
    }

    /// Takes the oldest queued batches with their work merged; the rows are
    /// deleted in this transaction, so a crash before the commit leaves them queued.
    func take(_ limit: Int, on sql: any SQLDatabase) async throws -> (count: Int, work: IngestWork)? {
        struct Row: Decodable { var id: Int64; var work: String }
        let skipLocked: SQLQueryString = store.kind == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let rows = try await sql.raw("""
            DELETE FROM ingest_queue WHERE id IN (SELECT id FROM ingest_queue ORDER BY id LIMIT \(bind: limit)\(skipLocked))
            RETURNING id, work
            """).all(decoding: Row.self)
        guard !rows.isEmpty else { return nil }
        var work = IngestWork()
        for row in rows.sorted(by: { $0.id < $1.id }) {
            work.merge(try IngestWork(text: row.work))
        }
        return (rows.count, work)
    }

    /// The bays this round folds: on PostgreSQL up to `baysPerRound` of them, those waiting longest, that no other
    /// server is folding now and no registry change holds off (`FoldLock`), the others queued again; on SQLite,
    /// where writers take turns, all.
    func claim(_ work: IngestWork, now: Int64, on sql: any SQLDatabase) async throws -> [String: Int64] {
        let bays = work.bays
        guard store.kind == .postgres, !bays.isEmpty else { return bays }
        let oldest = bays.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(baysPerRound).map(\.key)
        let taken = try await FoldLock.claim(oldest, on: sql)
        let later = bays.filter { !taken.contains($0.key) }
        if !later.isEmpty {
            let text = IngestWork(bays: later, lastEvent: work.lastEvent).text
            try await sql.raw("INSERT INTO ingest_queue (queued_ms, work) VALUES (\(bind: now), \(bind: text))").run()
        }
        return bays.filter { taken.contains($0.key) }
    }

    /// For each bay, its newest spaced checkpoint at or before the earliest new event.
    static func checkpoints(before dirty: [String: Int64], on sql: any SQLDatabase) async throws -> [String: SessionFold.Checkpoint] {
        struct Row: Decodable { var bay_code: String; var state: String }
        let rows = try await sql.raw("""
            WITH d(bay_code, dirty_ms) AS (VALUES \(values(dirty)))
            SELECT c.bay_code, c.state FROM fold_checkpoints c JOIN d ON c.bay_code = d.bay_code
            WHERE c.at_ms = (SELECT MAX(c2.at_ms) FROM fold_checkpoints c2 WHERE c2.bay_code = d.bay_code AND c2.at_ms <= d.dirty_ms)
            """).all(decoding: Row.self)
        return Dictionary(try rows.map { ($0.bay_code, try FoldState.checkpoint($0.state)) }) { $1 }
    }

    /// Each bay's tail, the time of its newest spaced checkpoint and the newest event its fold covers.
    static func tails(of bays: [String], on sql: any SQLDatabase) async throws -> [String: (checkpoint: SessionFold.Checkpoint, spaced: Int64?, covered: Int64)] {
        struct Row: Decodable { var bay_code: String; var spaced_ms: Int64?; var state: String; var last_event: Int64 }
        var tails: [String: (checkpoint: SessionFold.Checkpoint, spaced: Int64?, covered: Int64)] = [:]
        for chunk in bays.chunks(of: 500) {
            let list = chunk.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            for row in try await sql.raw("SELECT bay_code, spaced_ms, state, last_event FROM fold_tails WHERE bay_code IN (\(list))").all(decoding: Row.self) {
                tails[row.bay_code] = (try FoldState.checkpoint(row.state), row.spaced_ms, row.last_event)
            }
        }
        return tails
    }

    /// Records that the bays' folds now cover events through `through`, on the tails this round left in place too.
    static func cover(_ bays: [String], through: Int64, on sql: any SQLDatabase) async throws {
        for chunk in bays.sorted().chunks(of: 500) {
            let list = chunk.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            try await sql.raw("UPDATE fold_tails SET last_event = \(bind: through) WHERE last_event < \(bind: through) AND bay_code IN (\(list))").run()
        }
    }

    /// Bays with times, as rows of a VALUES list. A query joining one also
    /// bounds the time by the list's earliest: without it PostgreSQL cannot tell
    /// how few rows the per-bay bounds keep and scans the whole history.
    static func values(_ times: [String: Int64]) -> SQLQueryString {
        times.sorted { $0.key < $1.key }.map { "(CAST(\(bind: $0.key) AS TEXT), CAST(\(bind: $0.value) AS BIGINT))" as SQLQueryString }.joined(separator: ", ")
    }

    /// Each bay's events from a time on, up to a row id.
    static func events(from times: [String: Int64], through lastEvent: Int64, on sql: any SQLDatabase) async throws -> [String: [EventRow]] {
        let rows = try await EventColumns.all(sql.raw("""
            WITH f(bay_code, from_ms) AS (VALUES \(values(times)))
            SELECT \(unsafeRaw: EventColumns.list) FROM device_events e JOIN f ON e.bay_code = f.bay_code AND e.device_time_ms >= f.from_ms
            WHERE e.id <= \(bind: lastEvent) AND e.device_time_ms >= \(bind: times.values.min() ?? .min)
            """))
        var events: [String: [EventRow]] = [:]
        for row in rows {
            guard let event = row.eventRow else { continue }
            events[row.bay_code ?? "", default: []].append(event)
        }
        return events
    }

    /// Each bay's sessions starting at or after a time, voided ones left out.
    static func sessions(from times: [String: Int64], on sql: any SQLDatabase) async throws -> [String: [StoredSession]] {
        let rows = try await sql.raw("""
            WITH a(bay_code, from_ms) AS (VALUES \(values(times)))
            SELECT \(unsafeRaw: SessionColumns.list.split(separator: ",").map { "s." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
            FROM parking_sessions s JOIN a ON s.bay_code = a.bay_code AND s.start_ms >= a.from_ms
            WHERE s.status <> 'void' AND s.start_ms >= \(bind: times.values.min() ?? .min)
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
                    status = excluded.status, revision = parking_sessions.revision + 1, updated_ms = excluded.updated_ms,
                    bill_checked_ms = CASE WHEN parking_sessions.billed_ms IS NULL THEN NULL ELSE parking_sessions.bill_checked_ms END
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

    static func saveCheckpoints(_ checkpoints: [(bay: String, checkpoint: SessionFold.Checkpoint)], on sql: any SQLDatabase) async throws {
        for chunk in encoded(checkpoints).chunks(of: 300) {
            let values = chunk.map { "(\(bind: $0.bay), \(bind: $0.at), \(bind: $0.state))" as SQLQueryString }.joined(separator: ", ")
            try await sql.raw("""
                INSERT INTO fold_checkpoints (bay_code, at_ms, state) VALUES \(values)
                ON CONFLICT (bay_code, at_ms) DO UPDATE SET state = excluded.state
                """).run()
        }
    }

    /// Writes each bay's new tail, and drops the spaced checkpoints its tiers no longer keep.
    func saveTails(_ tails: [(bay: String, tail: SessionFold.Checkpoint, spaced: Int64?)], through: Int64, on sql: any SQLDatabase) async throws {
        let states = Self.encoded(tails.map { ($0.bay, $0.tail) })
        for chunk in Array(zip(states, tails.map(\.spaced))).chunks(of: 300) {
            let values = chunk.map { "(\(bind: $0.0.bay), \(bind: $0.0.at), \(bind: $0.1), \(bind: $0.0.state), \(bind: through))" as SQLQueryString }
                .joined(separator: ", ")
            try await sql.raw("""
                INSERT INTO fold_tails (bay_code, at_ms, spaced_ms, state, last_event) VALUES \(values)
                ON CONFLICT (bay_code) DO UPDATE SET at_ms = excluded.at_ms, spaced_ms = excluded.spaced_ms, state = excluded.state,
                    last_event = excluded.last_event
                """).run()
        }
        let at = Dictionary(tails.map { ($0.bay, $0.tail.at) }) { max($0, $1) }
        guard !at.isEmpty else { return }
        let finest = checkpoints.tiers[0].window
        try await sql.raw("""
            WITH h(bay_code, tail_ms) AS (VALUES \(Self.values(at)))
            DELETE FROM fold_checkpoints WHERE EXISTS (
                SELECT 1 FROM h WHERE h.bay_code = fold_checkpoints.bay_code AND fold_checkpoints.at_ms < h.tail_ms - \(bind: finest)
                AND NOT (\(checkpoints.kept(tail: "h.tail_ms"))))
            """).run()
    }

    static func encoded(_ checkpoints: [(bay: String, checkpoint: SessionFold.Checkpoint)]) -> [(bay: String, at: Int64, state: String)] {
        checkpoints.map { ($0.bay, $0.checkpoint.at, FoldState.text($0.checkpoint)) }
    }
}
