import CurbsideCore
import FluentKit
import SQLKit

/// Refunds on their way back through the channels that took the money:
/// claimed when due, sent (or asked about), and moved on by what the channel
/// says. A claim moves the next attempt on, so two instances never send the
/// same refund at once, and sending it again is safe anyway: the channels
/// know a refund by our id.
public struct RefundQueue: Sendable {
    /// A refund to send, with what the channel needs of its payment.
    public struct Due: Sendable {
        public var refund: Refund
        public var channel: PaymentChannel
        /// The payment's whole amount, which WeChat Pay checks a refund against.
        public var paymentFen: Int
    }

    public let store: Store
    public let database: any Database
    /// The pay link of a bill's token: the refund notice carries it.
    public let link: @Sendable (String) -> String

    public init(store: Store, database: any Database, link: @escaping @Sendable (String) -> String) {
        self.store = store
        self.database = database
        self.link = link
    }

    /// Claims up to `limit` refunds through `channels` that are due, pending or processing, each counted as an
    /// attempt: the caller sends it, or asks about it.
    public func claimDue(channels: [PaymentChannel], now: Int64, limit: Int, lease: Int64 = Milliseconds.minute) async throws -> [Due] {
        guard !channels.isEmpty else { return [] }
        return try await store.write(on: database) { db in
            let sql = db.sql
            let skipLocked: SQLQueryString = store.kind == .postgres ? "FOR UPDATE OF r SKIP LOCKED" : ""
            struct Row: Decodable { var channel: String; var payment_fen: Int }
            let columns = RefundColumns.list.split(separator: ", ").map { "r.\($0)" }.joined(separator: ", ")
            let rows = try await sql.raw("""
                SELECT \(unsafeRaw: columns), p.channel, p.amount_fen AS payment_fen FROM refunds r JOIN payments p ON p.id = r.payment_id
                WHERE r.attempt_ms <= \(bind: now) AND r.status IN ('pending', 'processing') AND p.channel IN (\(binds: channels.map(\.rawValue)))
                ORDER BY r.attempt_ms LIMIT \(bind: limit) \(skipLocked)
                """).all()
            let due = try rows.compactMap { row -> Due? in
                var refund = try row.decode(model: RefundColumns.self).refund
                let paid = try row.decode(model: Row.self)
                guard let channel = PaymentChannel(rawValue: paid.channel) else { return nil }
                refund.attempts += 1
                return Due(refund: refund, channel: channel, paymentFen: paid.payment_fen)
            }
            guard !due.isEmpty else { return [] }
            try await sql.raw("""
                UPDATE refunds SET attempt_ms = \(bind: now + lease), attempts = attempts + 1 WHERE id IN (\(binds: due.map(\.refund.id)))
                """).run()
            return due
        }
    }

    /// Applies what the channel says of a refund, from the answer to an attempt or from a notification. A
    /// refund that has finished stays as it finished; returns the refund as it is now, nil when there is none.
    @discardableResult
    public func report(_ report: ChannelRefundReport, now: Int64) async throws -> Refund? {
        try await store.write(on: database) { db in
            let sql = db.sql
            let lock: SQLQueryString = store.kind == .postgres ? "FOR UPDATE" : ""
            guard var refund = try await sql.raw("SELECT \(unsafeRaw: RefundColumns.list) FROM refunds WHERE id = \(bind: report.refundID) \(lock)")
                .first(decoding: RefundColumns.self)?.refund
            else { return nil }
            guard refund.status == .pending || refund.status == .processing else { return refund }
            refund.channelRefundID = report.channelRefundID ?? refund.channelRefundID
            var next: Int64?
            switch report.state {
            case .succeeded:
                refund.status = .succeeded
                refund.finishedAt = now
                try await NoticeOutbox.enqueue(refunded: refund, link: link, at: now, on: sql)
            case .processing:
                refund.status = .processing
                next = FollowUpSchedule.nextRefundAttempt(attempts: max(refund.attempts, 1), now: now)
                if next == nil { try await fail(&refund, "the channel had not finished it after \(refund.attempts) attempts", now: now, on: sql) }
            case let .failed(reason):
                try await fail(&refund, reason, now: now, on: sql)
            }
            try await save(refund, next: next, on: sql)
            return refund
        }
    }

    /// The channel did not answer, or refused the request itself: sent again later, until the attempts run out.
    public func unanswered(_ id: String, reason: String, now: Int64) async throws {
        try await store.write(on: database) { db in
            let sql = db.sql
            guard var refund = try await sql.raw("SELECT \(unsafeRaw: RefundColumns.list) FROM refunds WHERE id = \(bind: id)")
                .first(decoding: RefundColumns.self)?.refund, refund.status == .pending || refund.status == .processing
            else { return }
            let next = FollowUpSchedule.nextRefundAttempt(attempts: refund.attempts, now: now)
            if next == nil { try await fail(&refund, "no answer after \(refund.attempts) attempts; the last: \(reason)", now: now, on: sql) }
            try await save(refund, next: next, on: sql)
        }
    }

    /// A failed refund is finance's to pay back by hand: the audit log says so.
    private func fail(_ refund: inout Refund, _ reason: String, now: Int64, on sql: any SQLDatabase) async throws {
        refund.status = .failed
        refund.failure = reason
        refund.finishedAt = now
        try await AuditLog.record("refund_failed", subject: refund.id, by: .system, detail: [
            "payment": refund.payment, "amount_fen": String(refund.amountFen), "reason": reason,
        ], at: now, on: sql)
    }

    private func save(_ refund: Refund, next: Int64?, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE refunds SET status = \(bind: refund.status.rawValue), channel_refund_id = \(bind: refund.channelRefundID),
                attempts = \(bind: refund.attempts), attempt_ms = \(bind: next), finished_ms = \(bind: refund.finishedAt), failure = \(bind: refund.failure)
            WHERE id = \(bind: refund.id)
            """).run()
    }
}
