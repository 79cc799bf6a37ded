import CurbsideCore
import FluentKit
import SQLKit

/// Money paid back: through the channel that took it (or the wallet), with
/// who decided it and why, and how far the channel has got with it.
public struct Refund: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        /// To be sent to the payment's channel, or sent again after an attempt that went unanswered.
        case pending
        /// The channel took it and has not finished.
        case processing
        /// The money is back with the payer, or in the wallet that paid.
        case succeeded
        /// The channel will not pay it back, or every attempt went unanswered: finance takes it on.
        case failed
        /// Paid back by hand: cash, or a channel Curbside places no orders with.
        case manual
    }

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
    public var status: Status
    public var channelRefundID: String? = nil
    public var attempts = 0
    public var finishedAt: Int64? = nil
    public var failure: String? = nil
}

/// The refunds record.
public enum Refunds {
    /// Records a refund the ledger just wrote, paid back through the bill's
    /// latest payment: into the wallet that paid it at once, through a channel
    /// by the refunds job. `id` defaults to a new one.
    @discardableResult
    static func record(
        _ entry: LedgerEntry, of ledger: Ledger, id: String = RandomID.make("RF", length: 14), waive: Bool, reason: String, by principal: Principal,
        on sql: any SQLDatabase
    ) async throws -> Refund {
        let payment = Bills.refundedPayment(ledger.entries.filter { $0.bill == entry.bill })
        return try await payBack(Refund(
            id: id, bill: entry.bill, payment: payment, amountFen: entry.amountFen, waive: waive, reason: reason, actor: principal.description, at: entry.at,
            status: .pending
        ), on: sql)
    }

    /// Records `refund` in the state its payment's channel starts it in: paid into the wallet at once,
    /// pending for WeChat Pay and Alipay, and for the acquirer's channels where the order was placed with it
    /// (the follow-up job sends it), manual for the rest.
    @discardableResult
    static func payBack(_ refund: Refund, on sql: any SQLDatabase) async throws -> Refund {
        struct Paid: Decodable { var channel: String; var citizen_id: String?; var order_ms: Int64? }
        let paid = try await sql.raw("SELECT channel, citizen_id, order_ms FROM payments WHERE id = \(bind: refund.payment)").first(decoding: Paid.self)
        var refund = refund
        switch paid.flatMap({ PaymentChannel(rawValue: $0.channel) }) {
        case .wallet:
            refund.status = .succeeded
            refund.finishedAt = refund.at
            if let citizen = paid?.citizen_id {
                try await Payments.creditWallet(citizen, fen: refund.amountFen, reference: refund.id, at: refund.at, on: sql)
            }
        case .wechat, .alipay:
            refund.status = .pending
        case .unionpay, .bankCard, .etc:
            refund.status = paid?.order_ms == nil ? .manual : .pending
        default:
            refund.status = .manual
        }
        try await insert(refund, on: sql)
        return refund
    }

    private static func insert(_ refund: Refund, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO refunds (id, bill_number, payment_id, amount_fen, waive, reason, actor, created_ms, status, attempt_ms, finished_ms)
            VALUES (\(bind: refund.id), \(bind: refund.bill), \(bind: refund.payment), \(bind: refund.amountFen), \(bind: refund.waive),
                    \(bind: refund.reason), \(bind: refund.actor), \(bind: refund.at), \(bind: refund.status.rawValue),
                    \(bind: refund.status == .pending ? refund.at : nil), \(bind: refund.finishedAt))
            """).run()
    }

    /// A bill's refunds, or every refund, oldest first.
    public static func list(bill: String? = nil, on database: any Database) async throws -> [Refund] {
        let filter: SQLQueryString = bill.map { "WHERE bill_number = \(bind: $0)" } ?? ""
        return try await database.sql.raw("SELECT \(unsafeRaw: RefundColumns.list) FROM refunds \(filter) ORDER BY created_ms, id")
            .all(decoding: RefundColumns.self).map(\.refund)
    }

    public static func refund(_ id: String, on database: any Database) async throws -> Refund? {
        try await database.sql.raw("SELECT \(unsafeRaw: RefundColumns.list) FROM refunds WHERE id = \(bind: id)").first(decoding: RefundColumns.self)?.refund
    }
}

/// The columns of refunds as SQL rows decode them.
struct RefundColumns: Decodable {
    var id: String
    var bill_number: String?
    var payment_id: String
    var amount_fen: Int
    var waive: Bool
    var reason: String
    var actor: String
    var created_ms: Int64
    var status: String
    var channel_refund_id: String?
    var attempts: Int
    var finished_ms: Int64?
    var failure: String?

    static let list = "id, bill_number, payment_id, amount_fen, waive, reason, actor, created_ms, status, channel_refund_id, attempts, finished_ms, failure"

    var refund: Refund {
        Refund(
            id: id, bill: bill_number, payment: payment_id, amountFen: amount_fen, waive: waive, reason: reason, actor: actor, at: created_ms,
            status: Refund.Status(rawValue: status) ?? .manual, channelRefundID: channel_refund_id, attempts: attempts, finishedAt: finished_ms,
            failure: failure
        )
    }
}
