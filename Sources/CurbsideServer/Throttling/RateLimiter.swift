import Foundation
import NIOConcurrencyHelpers

/// Token buckets in this process's memory, one per rule and key (an address,
/// a citizen): a burst of `limit`, then one request per `period / limit`.
/// Memory, not the database, because these counters are asked on every
/// request and a few more tries on a second server change nothing; what
/// must hold across servers (staff lock-outs, sign-in codes per phone and
/// per hour) is counted in the database instead.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    /// Keys kept before idle full buckets are dropped.
    private let capacity: Int
    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])

    init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// Takes one request from the bucket; the seconds to wait when it is empty.
    func take(_ rate: EdgeSettings.Rate, rule: String, key: String, now: ContinuousClock.Instant = .now) -> Int? {
        let refill = Double(rate.limit) / rate.period
        let id = rule + "\u{1F}" + key
        return buckets.withLockedValue { buckets in
            var bucket = buckets[id] ?? Bucket(tokens: Double(rate.limit), updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(Double(rate.limit), bucket.tokens + max(0, seconds) * refill)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                buckets[id] = bucket
                return max(1, Int(((1 - bucket.tokens) / refill).rounded(.up)))
            }
            bucket.tokens -= 1
            if buckets.count >= capacity { Self.dropIdle(&buckets, now: now, period: rate.period) }
            buckets[id] = bucket
            return nil
        }
    }

    /// Buckets untouched for a period have refilled: forgetting them changes nothing.
    private static func dropIdle(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant, period: TimeInterval) {
        buckets = buckets.filter { now - $0.value.updated < .seconds(period) }
    }
}

/// Counts what one key holds open at once (an officer's alert streams).
final class ConcurrencyLimiter: Sendable {
    private let open = NIOLockedValueBox<[String: Int]>([:])

    /// True, and counted, if `key` holds fewer than `limit`; release it when done.
    func acquire(_ key: String, limit: Int) -> Bool {
        open.withLockedValue { open in
            guard open[key, default: 0] < limit else { return false }
            open[key, default: 0] += 1
            return true
        }
    }

    func release(_ key: String) {
        open.withLockedValue { open in
            let left = open[key, default: 1] - 1
            open[key] = left > 0 ? left : nil
        }
    }
}
