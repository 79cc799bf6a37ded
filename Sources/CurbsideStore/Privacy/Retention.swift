import Crypto
import CurbsideCore
import FluentKit
import Foundation
import SQLKit

/// Retention and anonymisation: each kind of personal data past its period
/// loses its plates (to `PlatePseudonym`) and its images, in bounded
/// batches, each batch in its own transaction, except what an unpaid bill,
/// an appeal in progress, an open enforcement case or a legal hold still
/// needs; device events themselves go later still (`Retention+EventRows`).
/// Counts, sums and the ledger are untouched, so reports, the city feed and
/// CDS metrics read the same after a run. Each run is one audit record with
/// what it did.
public struct Retention: Sendable {
    /// What one run did.
    public struct Run: Sendable, Equatable {
        public var sessions = 0
        public var events = 0
        /// Sessions whose image references went with their images.
        public var evidence = 0
        public var images = 0
        public var notices = 0
        public var checkpoints = 0
        /// Device events removed past their rows' period.
        public var eventRows = 0
        /// Months of device events dropped whole (PostgreSQL).
        public var eventMonths = 0
        /// The run used up its batches with more left: the next one takes it up.
        public var unfinished = false

        public init() {}
    }

    public let store: Store
    public let database: any Database
    public let periods: RetentionPeriods
    public let evidence: any EvidenceObjects
    /// `CURBSIDE_ANONYMISE_KEY`; without one, a key made on the first run and kept in `privacy_keys`.
    public let configuredKey: SymmetricKey?

    public init(store: Store, database: any Database, periods: RetentionPeriods, evidence: any EvidenceObjects, key: SymmetricKey?) {
        self.store = store
        self.database = database
        self.periods = periods
        self.evidence = evidence
        configuredKey = key
    }

    /// Rows per statement: small enough that a batch's transaction is short, large enough that a day's data goes in minutes.
    public static let batch = 1_000

    /// Runs every kind until nothing more is past its retention, at most `batches` batches; records the run in the audit log.
    public func run(now: Int64, batches: Int = 10_000) async throws -> Run {
        let pseudonym = PlatePseudonym(key: try await key(now: now))
        var run = Run()
        var left = batches
        func drain(_ step: () async throws -> Int, into count: inout Int) async throws {
            while left > 0 {
                left -= 1
                let done = try await step()
                count += done
                if done < Self.batch { return }
            }
        }
        let sessionsBefore = RetentionPeriods.cutoff(days: periods.sessions, now: now)
        let eventsBefore = RetentionPeriods.cutoff(days: periods.events, now: now)
        let imagesBefore = RetentionPeriods.cutoff(days: periods.images, now: now)
        let noticesBefore = RetentionPeriods.cutoff(days: periods.notices, now: now)
        // Each kind walks its rows still holding personal data in time order (a partial index holds just those),
        // each batch after the last row the one before took, so rows held back are passed over once a run.
        var sessionsAfter = Cursor(), eventsAfter = Cursor(), evidenceAfter = Cursor()
        try await drain({ try await sessions(before: sessionsBefore, after: &sessionsAfter, pseudonym) }, into: &run.sessions)
        try await drain({ try await events(before: eventsBefore, after: &eventsAfter, pseudonym) }, into: &run.events)
        try await drain({ try await evidence(before: imagesBefore, after: &evidenceAfter) }, into: &run.evidence)
        try await drain({ try await images(before: imagesBefore) }, into: &run.images)
        try await drain({ try await notices(before: noticesBefore) }, into: &run.notices)
        run.checkpoints = try await checkpoints(before: eventsBefore)
        let rowsBefore = RetentionPeriods.cutoff(days: periods.eventRows, now: now)
        if store.kind == .postgres {
            (run.eventMonths, run.eventRows) = try await dropEventMonths(before: rowsBefore)
        }
        var rowsAfter = Cursor()
        while left > 0 {
            left -= 1
            let batch = try await eventRows(before: rowsBefore, after: &rowsAfter)
            run.eventRows += batch.removed
            if batch.walked < Self.batch { break }
        }
        run.unfinished = left == 0
        let done = run
        try await store.write(on: database) { db in
            try await AuditLog.record("retention", subject: "run", by: .system, detail: [
                "sessions": String(done.sessions), "events": String(done.events), "evidence": String(done.evidence), "images": String(done.images),
                "notices": String(done.notices),
                "checkpoints": String(done.checkpoints), "event_rows": String(done.eventRows), "event_months": String(done.eventMonths),
                "unfinished": String(done.unfinished),
            ], at: now, on: db.sql)
        }
        return run
    }

    /// A session still needed whole: its bill unpaid, appealed or in an open case, or a legal hold on it or its plate.
    static func held(_ s: SQLQueryString) -> SQLQueryString {
        """
        (EXISTS (SELECT 1 FROM bills b WHERE b.session_id = \(s).id AND (b.status = 'unpaid'
            OR EXISTS (SELECT 1 FROM appeals a WHERE a.bill_number = b.number AND a.status = 'in_progress')
            OR EXISTS (SELECT 1 FROM case_bills cb JOIN enforcement_cases c ON c.id = cb.case_id WHERE cb.bill_number = b.number AND c.status = 'open')))
         OR EXISTS (SELECT 1 FROM legal_holds h WHERE h.released_ms IS NULL
            AND (h.session_id = \(s).id OR (h.plate = \(s).plate AND (h.plate_colour IS NULL OR h.plate_colour = \(s).plate_colour)))))
        """
    }

    struct Plated: Decodable { var id: String; var plate: String; var plate_colour: String?; var start_ms: Int64 }

    /// Where a kind's walk through its rows stands: the time and id of the last row a batch took.
    struct Cursor {
        var time: Int64 = .min
        var id = ""
    }

    /// Closed sessions past their period lose their plates.
    func sessions(before cutoff: Int64, after cursor: inout Cursor, _ pseudonym: PlatePseudonym) async throws -> Int {
        let from = cursor
        let rows = try await store.write(on: database) { db in
            let sql = db.sql
            let rows = try await sql.raw("""
                SELECT s.id, s.plate, s.plate_colour, s.start_ms FROM parking_sessions s
                WHERE s.start_ms < \(bind: cutoff) AND s.plate IS NOT NULL AND s.plate NOT LIKE '~%' AND (s.start_ms, s.id) > (\(bind: from.time), \(bind: from.id))
                  AND s.status <> 'open' AND NOT \(Self.held("s"))
                ORDER BY s.start_ms, s.id LIMIT \(bind: Self.batch)
                """).all(decoding: Plated.self)
            try await Self.replacePlates("parking_sessions", rows.map { PlateRow(id: "\(bind: $0.id)", plate: $0.plate, colour: $0.plate_colour) }, pseudonym, on: sql)
            return rows
        }
        if let last = rows.last { cursor = Cursor(time: last.start_ms, id: last.id) }
        return rows.count
    }

    /// Device events past their period lose their plates and their image references, unless a held session covers them.
    func events(before cutoff: Int64, after cursor: inout Cursor, _ pseudonym: PlatePseudonym) async throws -> Int {
        let from = (time: cursor.time, id: Int64(cursor.id) ?? 0)
        struct Row: Decodable { var id: Int64; var plate: String?; var plate_colour: String?; var device_time_ms: Int64 }
        let rows = try await store.write(on: database) { db in
            let sql = db.sql
            let rows = try await sql.raw("""
                SELECT e.id, e.plate, e.plate_colour, e.device_time_ms FROM device_events e
                WHERE e.device_time_ms < \(bind: cutoff)
                  AND ((e.plate IS NOT NULL AND e.plate NOT LIKE '~%') OR (e.images IS NOT NULL AND e.images <> '[]'))
                  AND (e.device_time_ms, e.id) > (\(bind: from.time), \(bind: from.id))
                  AND NOT EXISTS (SELECT 1 FROM parking_sessions s WHERE s.bay_code = e.bay_code AND s.start_ms <= e.device_time_ms
                      AND (s.end_ms IS NULL OR s.end_ms >= e.device_time_ms) AND \(Self.held("s")))
                  AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.released_ms IS NULL AND h.plate = e.plate)
                ORDER BY e.device_time_ms, e.id LIMIT \(bind: Self.batch)
                """).all(decoding: Row.self)
            guard !rows.isEmpty else { return rows }
            let plated = rows.compactMap { row in
                row.plate.flatMap { PlatePseudonym.isPseudonym($0) ? nil : PlateRow(id: "\(bind: row.id)", plate: $0, colour: row.plate_colour) }
            }
            try await Self.replacePlates("device_events", plated, pseudonym, on: sql)
            try await sql.raw("UPDATE device_events SET images = NULL WHERE id IN (\(binds: rows.map(\.id)))").run()
            return rows
        }
        if let last = rows.last { cursor = Cursor(time: last.device_time_ms, id: String(last.id)) }
        return rows.count
    }

    /// A row to pseudonymise: its id, already bound, and its plate.
    struct PlateRow {
        var id: SQLQueryString
        var plate: String
        var colour: String?
    }

    /// Sets each row's plate to its pseudonym, in one statement.
    static func replacePlates(_ table: String, _ rows: [PlateRow], _ pseudonym: PlatePseudonym, on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        let cases = rows.map { "WHEN \($0.id) THEN \(bind: pseudonym(plate: $0.plate, colour: $0.colour))" as SQLQueryString }.joined(separator: " ")
        try await sql.raw("""
            UPDATE \(unsafeRaw: table) SET plate = CASE id \(cases) END WHERE id IN (\(rows.map(\.id).joined(separator: ", ")))
            """).run()
    }

    /// Sessions that began before the images' cutoff lose their image references, unless held.
    func evidence(before cutoff: Int64, after cursor: inout Cursor) async throws -> Int {
        let from = cursor
        struct Row: Decodable { var id: String; var start_ms: Int64 }
        let rows = try await store.write(on: database) { db in
            let sql = db.sql
            let rows = try await sql.raw("""
                SELECT s.id, s.start_ms FROM parking_sessions s
                WHERE s.start_ms < \(bind: cutoff) AND s.evidence <> '[]' AND (s.start_ms, s.id) > (\(bind: from.time), \(bind: from.id)) AND NOT \(Self.held("s"))
                ORDER BY s.start_ms, s.id LIMIT \(bind: Self.batch)
                """).all(decoding: Row.self)
            if !rows.isEmpty { try await sql.raw("UPDATE parking_sessions SET evidence = '[]' WHERE id IN (\(binds: rows.map(\.id)))").run() }
            return rows
        }
        if let last = rows.last { cursor = Cursor(time: last.start_ms, id: last.id) }
        return rows.count
    }

    /// Evidence images stored before the cutoff are deleted, unless a held session names them.
    func images(before cutoff: Int64) async throws -> Int {
        let deleted: [String] = try await store.write(on: database) { db in
            let sql = db.sql
            struct Image: Decodable { var sha256: String }
            let candidates = try await sql.raw("""
                SELECT sha256 FROM evidence_images WHERE stored_ms < \(bind: cutoff) ORDER BY stored_ms, sha256 LIMIT \(bind: Self.batch)
                """).all(decoding: Image.self).map(\.sha256)
            guard !candidates.isEmpty else { return [] }
            // An image stored before the cutoff belongs to a stay that began before it.
            struct Session: Decodable { var evidence: String }
            let kept = Set(try await sql.raw("""
                SELECT s.evidence FROM parking_sessions s WHERE s.start_ms < \(bind: cutoff) AND s.evidence <> '[]' AND \(Self.held("s"))
                """).all(decoding: Session.self).flatMap { (try? JSONDecoder().decode([String].self, from: Data($0.evidence.utf8))) ?? [] })
            let gone = candidates.filter { !kept.contains($0) }
            if !gone.isEmpty { try await sql.raw("DELETE FROM evidence_images WHERE sha256 IN (\(binds: gone))").run() }
            return gone
        }
        // The rows go first: a crash here leaves files no row names, never a row naming no file.
        for digest in deleted { try await evidence.delete(sha256: digest) }
        return deleted.count
    }

    /// Notices past their period lose the phone, the plate and the text, unless their bill is held.
    func notices(before cutoff: Int64) async throws -> Int {
        try await store.write(on: database) { db in
            let sql = db.sql
            struct Row: Decodable { var id: Int64 }
            let ids = try await sql.raw("""
                SELECT n.id FROM notices n WHERE n.created_ms < \(bind: cutoff) AND n.sent_ms IS NOT NULL AND n.recipient <> 'anonymised'
                  AND NOT EXISTS (SELECT 1 FROM bills b JOIN parking_sessions s ON s.id = b.session_id WHERE b.number = n.bill_number AND \(Self.held("s")))
                ORDER BY n.id LIMIT \(bind: Self.batch)
                """).all(decoding: Row.self).map(\.id)
            guard !ids.isEmpty else { return 0 }
            try await sql.raw("""
                UPDATE notices SET recipient = 'anonymised', parameters = '{}', text = '', link = '', provider_ref = NULL WHERE id IN (\(binds: ids))
                """).run()
            return ids.count
        }
    }

    /// Fold checkpoints before the events' cutoff hold plates and are never read again (events that old are not refolded):
    /// every bay keeps its latest, the rest go.
    func checkpoints(before cutoff: Int64) async throws -> Int {
        try await store.write(on: database) { db in
            struct Row: Decodable { var n: Int }
            let sql = db.sql
            let doomed: SQLQueryString = """
                FROM fold_checkpoints WHERE at_ms < \(bind: cutoff)
                  AND at_ms < (SELECT MAX(f.at_ms) FROM fold_checkpoints f WHERE f.bay_code = fold_checkpoints.bay_code)
                """
            let count = try await sql.raw("SELECT COUNT(*) AS n \(doomed)").first(decoding: Row.self)?.n ?? 0
            if count > 0 { try await sql.raw("DELETE \(doomed)").run() }
            return count
        }
    }

    /// The configured key, or the one kept in the database (made once, by whichever server runs first).
    func key(now: Int64) async throws -> SymmetricKey {
        if let configuredKey { return configuredKey }
        struct Row: Decodable { var value: String }
        let made = Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64EncodedString()
        let stored = try await store.write(on: database) { db in
            try await db.sql.raw("""
                INSERT INTO privacy_keys (name, value, created_ms) VALUES ('pseudonym', \(bind: made), \(bind: now)) ON CONFLICT DO NOTHING
                """).run()
            return try await db.sql.raw("SELECT value FROM privacy_keys WHERE name = 'pseudonym'").first(decoding: Row.self)?.value
        }
        guard let stored, let bytes = Data(base64Encoded: stored) else { throw RetentionError.keyUnreadable }
        return SymmetricKey(data: bytes)
    }
}

public enum RetentionError: Error, Equatable {
    /// The stored pseudonym key is not base64.
    case keyUnreadable
}
