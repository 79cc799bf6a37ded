import CurbsideCore
import FluentKit
import SQLKit

/// The channels' daily statements on their way to reconciliation: a day is
/// scheduled once per channel, claimed when due (the claim moves the next
/// try on, so two instances never fetch the same one at once), and either
/// reconciled or tried again later, until the tries run out and finance is
/// told through the audit log.
public struct StatementRuns: Sendable {
    public enum Status: String, Sendable {
        case pending
        case done
        case failed
    }

    /// A statement to fetch; `attempts` counts this one.
    public struct Due: Sendable, Equatable {
        public var channel: PaymentChannel
        /// The statement's local day, YYYY-MM-DD.
        public var day: String
        public var attempts: Int
    }

    /// A day's statement as it stands.
    public struct Run: Sendable, Equatable {
        public var channel: PaymentChannel
        public var day: String
        public var status: Status
        public var attempts: Int
        public var reconciliationID: Int?
        public var failure: String?
    }

    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    /// Schedules `day` for each channel that does not have it yet; due at once.
    public func schedule(_ channels: [PaymentChannel], day: String, now: Int64) async throws {
        for channel in channels {
            try await database.sql.raw("""
                INSERT INTO statement_runs (channel, day, status, attempts, attempt_ms, created_ms)
                VALUES (\(bind: channel.rawValue), \(bind: day), 'pending', 0, \(bind: now), \(bind: now))
                ON CONFLICT (channel, day) DO NOTHING
                """).run()
        }
    }

    /// Claims up to `limit` due statements of `channels`, each counted as a try.
    public func claimDue(channels: [PaymentChannel], now: Int64, limit: Int, lease: Int64 = 10 * Milliseconds.minute) async throws -> [Due] {
        guard !channels.isEmpty else { return [] }
        return try await store.write(on: database) { db in
            let sql = db.sql
            let skipLocked: SQLQueryString = store.kind == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
            struct Row: Decodable { var channel: String; var day: String; var attempts: Int }
            let due = try await sql.raw("""
                SELECT channel, day, attempts FROM statement_runs
                WHERE attempt_ms <= \(bind: now) AND status = 'pending' AND channel IN (\(binds: channels.map(\.rawValue)))
                ORDER BY attempt_ms LIMIT \(bind: limit) \(skipLocked)
                """).all(decoding: Row.self).compactMap { row in
                PaymentChannel(rawValue: row.channel).map { Due(channel: $0, day: row.day, attempts: row.attempts + 1) }
            }
            guard !due.isEmpty else { return [] }
            try await sql.raw("""
                UPDATE statement_runs SET attempt_ms = \(bind: now + lease), attempts = attempts + 1
                WHERE channel || '/' || day IN (\(binds: due.map { "\($0.channel.rawValue)/\($0.day)" }))
                """).run()
            return due
        }
    }

    /// The statement was reconciled as record `reconciliation`, in the transaction that recorded it.
    static func reconciled(_ due: Due, reconciliation: Int, now: Int64, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE statement_runs SET status = 'done', reconciliation_id = \(bind: reconciliation), attempt_ms = NULL, finished_ms = \(bind: now),
                failure = NULL
            WHERE channel = \(bind: due.channel.rawValue) AND day = \(bind: due.day)
            """).run()
    }

    /// The statement could not be had; tried again later, or, past the last try, failed and told to finance.
    public func retry(_ due: Due, reason: String, now: Int64) async throws {
        try await store.write(on: database) { db in
            let sql = db.sql
            guard let next = FollowUpSchedule.nextStatementAttempt(attempts: due.attempts, now: now) else {
                try await sql.raw("""
                    UPDATE statement_runs SET status = 'failed', attempt_ms = NULL, finished_ms = \(bind: now), failure = \(bind: reason)
                    WHERE channel = \(bind: due.channel.rawValue) AND day = \(bind: due.day)
                    """).run()
                try await AuditLog.record("statement_failed", subject: "\(due.channel.rawValue)/\(due.day)", by: .system, detail: [
                    "attempts": String(due.attempts), "reason": reason,
                ], at: now, on: sql)
                return
            }
            try await sql.raw("""
                UPDATE statement_runs SET attempt_ms = \(bind: next), failure = \(bind: reason)
                WHERE channel = \(bind: due.channel.rawValue) AND day = \(bind: due.day)
                """).run()
        }
    }

    /// The statements newest day first, of one day or status when given.
    public func list(day: String?, status: Status?, limit: Int) async throws -> [Run] {
        struct Row: Decodable {
            var channel: String; var day: String; var status: String; var attempts: Int; var reconciliation_id: Int?; var failure: String?
        }
        var conditions: [SQLQueryString] = ["1 = 1"]
        if let day { conditions.append("day = \(bind: day)") }
        if let status { conditions.append("status = \(bind: status.rawValue)") }
        return try await database.sql.raw("""
            SELECT channel, day, status, attempts, reconciliation_id, failure FROM statement_runs
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY day DESC, channel LIMIT \(bind: limit)
            """).all(decoding: Row.self).compactMap { row in
            guard let channel = PaymentChannel(rawValue: row.channel), let status = Status(rawValue: row.status) else { return nil }
            return Run(channel: channel, day: row.day, status: status, attempts: row.attempts, reconciliationID: row.reconciliation_id, failure: row.failure)
        }
    }
}
