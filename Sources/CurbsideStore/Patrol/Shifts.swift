import CurbsideCore
import FluentKit
import SQLKit

/// An officer's shift on a beat, from sign-on to close.
public struct Shift: Sendable, Equatable {
    public var id: String
    public var staffID: String
    public var beatID: String
    public var startedAt: Int64
    public var endedAt: Int64?
    /// Cash the officer counted at close.
    public var declaredCashFen: Int?
    /// Cash the ledger holds as collected by the officer during the shift.
    public var ledgerCashFen: Int?
}

/// Opens and closes shifts; closing sets the cash the officer hands in
/// against the cash payments the ledger recorded in the officer's name.
public struct Shifts: Sendable {
    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    public func open(beat: String, by principal: Principal, now: Int64) async throws -> Shift {
        try await store.write(on: database) { db in
            let sql = db.sql
            if let current = try await Self.current(principal.subject, on: sql) { throw PatrolError.shiftOpen(current.id) }
            guard try await Beats.beat(beat, on: sql) != nil else { throw PatrolError.notFound(.beat, beat) }
            // A supervisor assigns officers to beats; an officer works only those.
            struct Assigned: Decodable { var beat_id: String }
            guard try await sql.raw("""
                SELECT beat_id FROM staff_beats WHERE staff_id = \(bind: principal.subject) AND beat_id = \(bind: beat)
                """).first(decoding: Assigned.self) != nil
            else { throw PatrolError.beatNotAssigned(beat) }
            let shift = Shift(id: RandomID.make("SH", length: 12), staffID: principal.subject, beatID: beat, startedAt: now)
            try await sql.raw("""
                INSERT INTO shifts (id, staff_id, beat_id, started_ms) VALUES (\(bind: shift.id), \(bind: shift.staffID), \(bind: beat), \(bind: now))
                """).run()
            try await AuditLog.record("open_shift", subject: shift.id, by: principal, detail: ["beat": beat], at: now, on: sql)
            return shift
        }
    }

    public func current(_ staff: String) async throws -> Shift? {
        try await Self.current(staff, on: database.sql)
    }

    /// Closes the officer's shift with the cash counted; the answer carries both figures.
    public func close(declaredCashFen: Int, by principal: Principal, now: Int64) async throws -> Shift {
        try await store.write(on: database) { db in
            let sql = db.sql
            guard var shift = try await Self.current(principal.subject, on: sql) else { throw PatrolError.noShift }
            struct Total: Decodable { var total: Int? }
            let ledger = try await sql.raw("""
                SELECT CAST(SUM(amount_fen) AS BIGINT) AS total FROM payments WHERE channel = 'cash' AND status = 'paid' AND shift_id = \(bind: shift.id)
                """).first(decoding: Total.self)?.total ?? 0
            shift.endedAt = now
            shift.declaredCashFen = declaredCashFen
            shift.ledgerCashFen = ledger
            try await sql.raw("""
                UPDATE shifts SET ended_ms = \(bind: now), declared_cash_fen = \(bind: declaredCashFen), ledger_cash_fen = \(bind: ledger)
                WHERE id = \(bind: shift.id)
                """).run()
            try await AuditLog.record("close_shift", subject: shift.id, by: principal, detail: [
                "declared_cash_fen": String(declaredCashFen), "ledger_cash_fen": String(ledger), "difference_fen": String(declaredCashFen - ledger),
            ], at: now, on: sql)
            return shift
        }
    }

    static func current(_ staff: String, on sql: any SQLDatabase) async throws -> Shift? {
        struct Row: Decodable { var id: String; var staff_id: String; var beat_id: String; var started_ms: Int64 }
        return try await sql.raw("""
            SELECT id, staff_id, beat_id, started_ms FROM shifts WHERE staff_id = \(bind: staff) AND ended_ms IS NULL ORDER BY started_ms DESC LIMIT 1
            """).first(decoding: Row.self).map { Shift(id: $0.id, staffID: $0.staff_id, beatID: $0.beat_id, startedAt: $0.started_ms) }
    }
}
