import CurbsideCore
import CurbsideStore
import FluentKit
import Logging

/// Reconciles each channel's statement of yesterday by itself: once the
/// local day has passed `readyHour`, yesterday is scheduled for every channel
/// whose orders are placed here, its statement downloaded and matched against
/// the payments recorded (the reconciliation finance can also start by hand),
/// and every difference kept for finance. A statement not ready yet, or a
/// channel that does not answer, is tried again later; one that never comes
/// is handed to finance through the audit log.
public struct StatementReconciler: Sendable {
    /// What one round did.
    public struct Round: Sendable, Equatable {
        public var reconciled = 0
        public var differences = 0
        public var postponed = 0

        public init() {}
    }

    let orders: ChannelOrders
    let store: Store
    let database: any Database
    let clock: ZoneClock
    let readyHour: Int
    let logger = Logger(label: "curbside.statements")

    init(orders: ChannelOrders, store: Store, database: any Database, clock: ZoneClock, readyHour: Int) {
        self.orders = orders
        self.store = store
        self.database = database
        self.clock = clock
        self.readyHour = readyHour
    }

    /// The day before `now`'s local day, once `now` is past the ready hour; nil before.
    public func yesterday(now: Int64) -> LocalDate? {
        let seconds = now / 1000
        guard (clock.local(seconds) - Int64(clock.localDay(seconds)) * 86_400) / 3600 >= Int64(readyHour) else { return nil }
        return LocalDate(dayNumber: clock.localDay(seconds) - 1)
    }

    /// Schedules yesterday when it is time, and fetches and reconciles the statements due at `now`.
    public func runOnce(now: Int64, limit: Int = 10) async throws -> Round {
        let runs = StatementRuns(store: store, database: database)
        if let day = yesterday(now: now) { try await runs.schedule(orders.placing, day: day.description, now: now) }
        var round = Round()
        for due in try await runs.claimDue(channels: orders.placing, now: now, limit: limit) {
            let text: String?
            let lines: [Reconciliation.Line]
            do {
                text = try await orders.statement(due.channel, day: due.day)
                lines = try text.map(ChannelStatement.lines) ?? []
            } catch {
                logger.warning("statement not had", metadata: ["channel": "\(due.channel.rawValue)", "day": "\(due.day)", "reason": "\(error)"])
                try await runs.retry(due, reason: "\(error)", now: now)
                round.postponed += 1
                continue
            }
            guard let instants = LocalDate(due.day)?.instants(in: clock) else { continue }
            let record = try await Reconciliations(store: store, database: database).reconcile(
                channel: due.channel, day: due.day, from: instants.lowerBound * 1000, until: instants.upperBound * 1000, statement: lines,
                by: .system, now: now, run: due
            )
            round.reconciled += 1
            round.differences += record.result.differences.count
            if !record.result.differences.isEmpty {
                logger.warning("statement differs", metadata: [
                    "channel": "\(due.channel.rawValue)", "day": "\(due.day)", "differences": "\(record.result.differences.count)",
                ])
            }
        }
        return round
    }
}
