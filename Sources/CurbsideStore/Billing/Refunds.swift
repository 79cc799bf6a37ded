import CurbsideCore
import FluentKit
import SQLKit

/// Money paid back: through the channel that took it (or the wallet), with
/// who decided it and why.
public struct Refund: Sendable, Equatable, Codable {
    public var id: String
    /// nil for a prepayment no bill came of.
    public var bill: String?
    public var payment: String
    public var amountFen: Int
    /// The charge was reduced by the same amount (the bill was wrong).
    public var waive: Bool
    public var reason: String
    /// Principal that decided it; `admin:curbside` for refunds Curbside makes itself.
    public var actor: String
    public var at: Int64
}

/// The refunds record.
public enum Refunds {
    /// Records a refund the ledger just wrote, paid back through the bill's
    /// latest payment, or into the wallet that paid it. `id` defaults to a new one.
    @discardableResult
    static func record(
        _ entry: LedgerEntry, of ledger: Ledger, id: String = RandomID.make("RF", length: 14), waive: Bool, reason: String, by principal: Principal,
        on sql: any SQLDatabase
    ) async throws -> Refund {
        let payment = Bills.refundedPayment(ledger.entries.filter { $0.bill == entry.bill })
        let refund = Refund(
            id: id, bill: entry.bill, payment: payment, amountFen: entry.amountFen, waive: waive, reason: reason, actor: principal.description, at: entry.at
        )
        try await insert(refund, on: sql)
        try await Payments.returnToWallet(payment: payment, fen: entry.amountFen, reference: id, at: entry.at, on: sql)
        return refund
    }

    static func insert(_ refund: Refund, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO refunds (id, bill_number, payment_id, amount_fen, waive, reason, actor, created_ms)
            VALUES (\(bind: refund.id), \(bind: refund.bill), \(bind: refund.payment), \(bind: refund.amountFen), \(bind: refund.waive),
                    \(bind: refund.reason), \(bind: refund.actor), \(bind: refund.at))
            """).run()
    }

    /// A bill's refunds, or every refund, oldest first.
    public static func list(bill: String? = nil, on database: any Database) async throws -> [Refund] {
        struct Row: Decodable {
            var id: String; var bill_number: String?; var payment_id: String; var amount_fen: Int; var waive: Bool; var reason: String
            var actor: String; var created_ms: Int64
        }
        let sql = database.sql
        let filter: SQLQueryString = bill.map { "WHERE bill_number = \(bind: $0)" } ?? ""
        return try await sql.raw("""
            SELECT id, bill_number, payment_id, amount_fen, waive, reason, actor, created_ms FROM refunds \(filter) ORDER BY created_ms, id
            """).all(decoding: Row.self).map {
            Refund(id: $0.id, bill: $0.bill_number, payment: $0.payment_id, amountFen: $0.amount_fen, waive: $0.waive, reason: $0.reason,
                   actor: $0.actor, at: $0.created_ms)
        }
    }
}
