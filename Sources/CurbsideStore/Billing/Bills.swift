import CurbsideCore
import FluentKit
import SQLKit

/// Reads bills and their ledgers, and applies refunds and write-offs.
public struct Bills: Sendable {
    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    var sql: any SQLDatabase { database.sql }

    public func bill(_ number: String) async throws -> StoredBill? {
        try await sql.raw("SELECT \(unsafeRaw: BillColumns.list) FROM bills WHERE number = \(bind: number)").first(decoding: BillColumns.self)?.stored
    }

    public func bill(token: String) async throws -> StoredBill? {
        try await sql.raw("SELECT \(unsafeRaw: BillColumns.list) FROM bills WHERE pay_token = \(bind: token)").first(decoding: BillColumns.self)?.stored
    }

    /// A plate's bills (of one colour, or any), newest first; only those still owing unless `all`.
    public func bills(plate: String, colour: PlateColour?, all: Bool = false, limit: Int = 200) async throws -> [StoredBill] {
        let owing: SQLQueryString = all ? "" : "AND status = 'unpaid'"
        let coloured: SQLQueryString = colour.map { "AND plate_colour = \(bind: $0.rawValue)" } ?? ""
        return try await sql.raw("""
            SELECT \(unsafeRaw: BillColumns.list) FROM bills WHERE plate = \(bind: plate) \(coloured) \(owing)
            ORDER BY start_ms DESC LIMIT \(bind: limit)
            """).all(decoding: BillColumns.self).map(\.stored)
    }

    /// Bills issued in a window, oldest first, a page at a time.
    public func issued(from: Int64, until: Int64, status: StoredBill.Status? = nil, after: String? = nil, limit: Int = 200) async throws -> [StoredBill] {
        let statusFilter: SQLQueryString = status.map { "AND status = \(bind: $0.rawValue)" } ?? ""
        let page: SQLQueryString = after.map { "AND number > \(bind: $0)" } ?? ""
        return try await sql.raw("""
            SELECT \(unsafeRaw: BillColumns.list) FROM bills WHERE issued_ms >= \(bind: from) AND issued_ms < \(bind: until) \(statusFilter) \(page)
            ORDER BY number LIMIT \(bind: limit)
            """).all(decoding: BillColumns.self).map(\.stored)
    }

    public func entries(_ number: String) async throws -> [LedgerEntry] {
        try await BillLedger(sql: sql, kind: store.kind).load([number]).entries
    }

    /// Totals of every ledger entry by kind, for the demo's summary and reports.
    public func totals() async throws -> [LedgerEntry.Kind: Int] {
        struct Row: Decodable { var kind: String; var total: Int }
        let rows = try await sql.raw("SELECT kind, CAST(SUM(amount_fen) AS BIGINT) AS total FROM ledger_entries GROUP BY kind").all(decoding: Row.self)
        return Dictionary(uniqueKeysWithValues: rows.compactMap { row in LedgerEntry.Kind(rawValue: row.kind).map { ($0, row.total) } })
    }

    /// Refunds part or all of what was paid on a bill, with a reason, recorded in
    /// the ledger, the refunds and the audit log. With `waive` the same amount
    /// comes off the charge too (the bill was wrong); without, only an
    /// overpayment can be refunded. Wallet payments go back to the wallet.
    public func refund(_ number: String, fen: Int, reason: String, waive: Bool, by principal: Principal, now: Int64) async throws -> Refund {
        try await store.write(on: database) { db in
            let sql = db.sql
            let book = BillLedger(sql: sql, kind: store.kind)
            var ledger = try await book.load([number])
            guard ledger.balance(number) != nil else { throw BillingError.billNotFound(number) }
            let id = RandomID.make("RF", length: 14)
            let entries: [LedgerEntry]
            do {
                guard case let .applied(applied) = try ledger.refund(id, bill: number, fen: fen, waive: waive, at: now) else { throw BillingError.duplicateID(id) }
                entries = applied
            } catch let refusal as Ledger.Refusal {
                throw BillingError.ledger(refusal)
            }
            try await book.write(entries, ledger: ledger)
            let refund = try await Refunds.record(entries.last!, of: ledger, id: id, waive: waive, reason: reason, by: principal, on: sql)
            try await AuditLog.record("refund", subject: number, by: principal, detail: [
                "refund": id, "amount_fen": String(fen), "waive": String(waive), "reason": reason, "payment": refund.payment,
            ], at: now, on: sql)
            return refund
        }
    }

    /// The payment a refund goes back through: the latest one received on the bill.
    static func refundedPayment(_ entries: [LedgerEntry]) -> String {
        entries.last { $0.kind == .received }?.reference ?? ""
    }
}
