import CurbsideCore
import CurbsideStore
import FluentKit
import Logging

/// Follows every order placed with a channel and every refund sent to one
/// until it is finished: a payment whose notification has not come is asked
/// about on the follow-up schedule and settled from the channel's signed
/// answer, an order that expires unpaid is closed, and a refund is sent,
/// sent again when unanswered, and asked about while the channel processes it.
/// Every step is a durable record; any instance may take any of them.
public struct ChannelFollowUp: Sendable {
    /// What one round did.
    public struct Round: Sendable, Equatable {
        public var checked = 0
        public var settled = 0
        public var closed = 0
        public var refundsSent = 0
        public var refundsSucceeded = 0
        public var refundsFailed = 0

        public init() {}
    }

    let orders: ChannelOrders
    let store: Store
    let database: any Database
    /// Bills' pay links, which refund notices carry.
    let link: @Sendable (String) -> String
    let logger = Logger(label: "curbside.channels")

    init(orders: ChannelOrders, store: Store, database: any Database, link: @escaping @Sendable (String) -> String) {
        self.orders = orders
        self.store = store
        self.database = database
        self.link = link
    }

    /// Checks the orders and sends the refunds that are due at `now`, at most `limit` of each.
    public func runOnce(now: Int64, limit: Int = 50) async throws -> Round {
        var round = Round()
        let checks = OrderChecks(store: store, database: database)
        for payment in try await checks.claimDue(channels: orders.placing, now: now, limit: limit) {
            round.checked += 1
            try await check(payment, now: now, checks: checks, round: &round)
        }
        let queue = RefundQueue(store: store, database: database, link: link)
        for due in try await queue.claimDue(channels: orders.placing, now: now, limit: limit) {
            round.refundsSent += 1
            let report: ChannelRefundReport
            do {
                report = try await orders.send(due)
            } catch {
                logger.warning("refund not taken", metadata: ["refund": "\(due.refund.id)", "reason": "\(error)"])
                try await queue.unanswered(due.refund.id, reason: "\(error)", now: now)
                continue
            }
            switch try await queue.report(report, now: now)?.status {
            case .succeeded: round.refundsSucceeded += 1
            case .failed: round.refundsFailed += 1
            default: break
            }
        }
        return round
    }

    private func check(_ payment: Payment, now: Int64, checks: OrderChecks, round: inout Round) async throws {
        let state: ChannelOrders.OrderState
        do {
            state = try await orders.state(of: payment)
        } catch {
            logger.warning("order not checked", metadata: ["payment": "\(payment.id)", "reason": "\(error)"])
            return try await checks.waiting(payment, now: now)
        }
        switch state {
        case let .paid(answer):
            let settlement = try await Payments(store: store, database: database).settle(answer, now: now, source: "query")
            if case let .refused(code, message) = settlement {
                logger.error("queried payment refused", metadata: ["payment": "\(payment.id)", "code": "\(code)", "reason": "\(message)"])
                try await checks.stop(payment, reason: message, now: now)
            } else {
                round.settled += 1
            }
        case .over:
            if try await checks.closed(payment, now: now) { round.closed += 1 }
        case .waiting where now < payment.expiresAt:
            try await checks.waiting(payment, now: now)
        case .waiting:
            do {
                try await orders.close(payment)
            } catch {
                logger.warning("order not closed", metadata: ["payment": "\(payment.id)", "reason": "\(error)"])
                return try await checks.waiting(payment, now: now)
            }
            if try await checks.closed(payment, now: now) { round.closed += 1 }
        }
    }
}
