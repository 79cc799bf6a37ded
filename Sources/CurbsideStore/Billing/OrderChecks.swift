import CurbsideCore
import FluentKit
import SQLKit

/// The orders placed with channels whose payments are still pending: each is
/// queried on the follow-up schedule and closed when it expires. Every
/// instance runs the job; a claim moves a check's due time on, so two
/// instances never ask about the same order at once.
public struct OrderChecks: Sendable {
    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    /// The order of `payment` was placed with its channel at `now`: its first check is due on the schedule.
    public func placed(_ payment: String, at now: Int64) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("""
                UPDATE payments SET order_ms = \(bind: now), checks = 0,
                    check_ms = CASE WHEN expires_ms < \(bind: now + FollowUpSchedule.orderChecks[0]) THEN expires_ms ELSE \(bind: now + FollowUpSchedule.orderChecks[0]) END
                WHERE id = \(bind: payment) AND status = 'pending'
                """).run()
        }
    }

    /// The channel's code to pay the order by, kept to be shown as a QR code.
    public func coded(_ payment: String, code: String) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("UPDATE payments SET order_code = \(bind: code) WHERE id = \(bind: payment)").run()
        }
    }

    /// Claims up to `limit` pending payments of `channels` whose check is due, moving each check
    /// `lease` on so that no other instance takes it while this one asks the channel.
    public func claimDue(channels: [PaymentChannel], now: Int64, limit: Int, lease: Int64 = Milliseconds.minute) async throws -> [Payment] {
        guard !channels.isEmpty else { return [] }
        return try await store.write(on: database) { db in
            let sql = db.sql
            let skipLocked: SQLQueryString = store.kind == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
            let due = try await sql.raw("""
                SELECT \(unsafeRaw: PaymentColumns.list) FROM payments
                WHERE check_ms <= \(bind: now) AND status = 'pending' AND channel IN (\(binds: channels.map(\.rawValue)))
                ORDER BY check_ms LIMIT \(bind: limit) \(skipLocked)
                """).all(decoding: PaymentColumns.self).map(\.payment)
            guard !due.isEmpty else { return [] }
            try await sql.raw("UPDATE payments SET check_ms = \(bind: now + lease) WHERE id IN (\(binds: due.map(\.id)))").run()
            return due
        }
    }

    /// The channel says the order is still waiting (or did not answer): the next check by the schedule.
    public func waiting(_ payment: Payment, now: Int64) async throws {
        let checks = payment.checks + 1
        let next = now >= payment.expiresAt
            ? FollowUpSchedule.nextCloseAttempt(checks: checks, now: now)
            : FollowUpSchedule.nextOrderCheck(checks: checks, placedAt: payment.orderPlacedAt ?? payment.createdAt, expiresAt: payment.expiresAt)
        try await store.write(on: database) { db in
            try await db.sql.raw("""
                UPDATE payments SET checks = \(bind: checks), check_ms = \(bind: max(next, now + 1)) WHERE id = \(bind: payment.id) AND status = 'pending'
                """).run()
        }
    }

    /// The order is closed with the channel, unpaid: so is the payment, unless a notification settled it meanwhile.
    /// Returns whether it was closed now.
    @discardableResult
    public func closed(_ payment: Payment, now: Int64) async throws -> Bool {
        try await store.write(on: database) { db in
            struct Row: Decodable { var id: String }
            let closed = try await db.sql.raw("""
                UPDATE payments SET status = 'closed', closed_ms = \(bind: now), check_ms = NULL, checks = \(bind: payment.checks + 1)
                WHERE id = \(bind: payment.id) AND status = 'pending' RETURNING id
                """).all(decoding: Row.self)
            return !closed.isEmpty
        }
    }

    /// The channel's answer about the order cannot be settled (it disagrees with the payment): no more
    /// checks, and the audit log tells finance, who settle it against the statement.
    public func stop(_ payment: Payment, reason: String, now: Int64) async throws {
        try await store.write(on: database) { db in
            let sql = db.sql
            try await sql.raw("UPDATE payments SET check_ms = NULL WHERE id = \(bind: payment.id)").run()
            try await AuditLog.record("order_check_refused", subject: payment.id, by: .system, detail: ["reason": reason], at: now, on: sql)
        }
    }
}
