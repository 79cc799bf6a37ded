/// When Curbside asks a channel again about an order whose notification has
/// not come, sends a refund again that the channel did not answer, and asks
/// again for a statement the channel has not made yet.
public enum FollowUpSchedule {
    /// A silent order is queried this long after it was placed; at its expiry it is closed.
    public static let orderChecks: [Int64] = [1, 2, 5, 10, 20].map { $0 * Milliseconds.minute }
    /// After an attempt that went unanswered (or a refund the channel is still processing), the next comes this
    /// long after it; past the last, a refund has failed and goes to finance.
    public static let refundRetries: [Int64] = [1, 2, 5, 10, 30, 60, 120, 240].map { $0 * Milliseconds.minute }
    /// After a statement could not be had (not made yet, or the channel did not answer), the next try comes this
    /// long after; past the last, the day is finance's to reconcile by hand.
    public static let statementRetries: [Int64] = [15, 30, 60, 120, 240, 480].map { $0 * Milliseconds.minute }

    /// The next check of an order placed at `placedAt` after `checks` checks: the next step, or its expiry.
    public static func nextOrderCheck(checks: Int, placedAt: Int64, expiresAt: Int64) -> Int64 {
        guard checks >= 0, checks < orderChecks.count else { return expiresAt }
        return min(placedAt + orderChecks[checks], expiresAt)
    }

    /// After an expired order's close went unanswered, the next attempt: a minute on, then longer, at most an hour.
    public static func nextCloseAttempt(checks: Int, now: Int64) -> Int64 {
        now + Milliseconds.minute * Int64(min(60, max(1, checks - orderChecks.count)))
    }

    /// The next attempt at a refund after `attempts` attempts at `now`; nil when it has had all it gets.
    public static func nextRefundAttempt(attempts: Int, now: Int64) -> Int64? {
        next(after: attempts, of: refundRetries, now: now)
    }

    /// The next try at a day's statement after `attempts` tries at `now`; nil when it has had all it gets.
    public static func nextStatementAttempt(attempts: Int, now: Int64) -> Int64? {
        next(after: attempts, of: statementRetries, now: now)
    }

    private static func next(after attempts: Int, of retries: [Int64], now: Int64) -> Int64? {
        guard attempts >= 1, attempts <= retries.count else { return nil }
        return now + retries[attempts - 1]
    }
}
