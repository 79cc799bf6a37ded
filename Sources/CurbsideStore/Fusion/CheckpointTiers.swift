import CurbsideCore
import SQLKit

/// Which spaced checkpoints a bay keeps: grids of device time, each coarser
/// than the one before and kept further back. A late event refolds from the
/// newest checkpoint before it, so recent ones lie close together (a gateway
/// back after an hour's outage refolds from at most 30 minutes before its
/// first event), and older ones far apart (an event days late, which only a
/// gateway offline that long sends, refolds from at most a day or a week
/// before it, a few hundred of one bay's events). The coarsest window covers
/// the oldest event ingestion accepts, so no accepted event refolds a bay
/// from the start of its history; each bay keeps about 20 checkpoints.
public struct CheckpointTiers: Sendable, Equatable {
    public struct Tier: Sendable, Equatable {
        /// Checkpoints lie at multiples of this...
        public var spacing: Int64
        /// ...and are kept while no further than this behind the bay's newest event.
        public var window: Int64

        public init(spacing: Int64, window: Int64) {
            self.spacing = spacing
            self.window = window
        }
    }

    /// Finest first; each spacing a multiple of the one before, so a coarse point is also a fine one.
    public let tiers: [Tier]

    public init(_ tiers: [Tier]) {
        precondition(!tiers.isEmpty && tiers.allSatisfy { $0.spacing > 0 && $0.window > 0 })
        precondition(zip(tiers, tiers.dropFirst()).allSatisfy { $1.spacing % $0.spacing == 0 && $1.window >= $0.window })
        self.tiers = tiers
    }

    /// Every 30 minutes for 3 hours, every day for a week, every week for 38 days: ingestion
    /// refuses events older than 30 days, and the newest weekly point before one is at most a week older.
    public static let standard = CheckpointTiers([
        Tier(spacing: 30 * Milliseconds.minute, window: 3 * Milliseconds.hour),
        Tier(spacing: Milliseconds.day, window: 7 * Milliseconds.day),
        Tier(spacing: 7 * Milliseconds.day, window: 38 * Milliseconds.day),
    ])

    /// The points after `after` up to `through` that a bay whose newest event is `newest` keeps, in order.
    public func points(after: Int64, through: Int64, newest: Int64) -> [Int64] {
        var points = Set<Int64>()
        for tier in tiers {
            let lower = max(after, newest - tier.window - 1)
            var point = (lower / tier.spacing + 1) * tier.spacing
            while point <= through {
                points.insert(point)
                point += tier.spacing
            }
        }
        return points.sorted()
    }

    /// Whether a checkpoint at `at` is kept once the bay's tail is at `tail`.
    public func keeps(_ at: Int64, tail: Int64) -> Bool {
        tiers.contains { at % $0.spacing == 0 && at >= tail - $0.window }
    }

    /// The SQL condition `keeps` is, for a checkpoint's `at_ms` against a column or value holding the tail.
    func kept(tail: SQLQueryString) -> SQLQueryString {
        tiers.map { "(fold_checkpoints.at_ms % \(unsafeRaw: String($0.spacing)) = 0 AND fold_checkpoints.at_ms >= \(tail) - \(unsafeRaw: String($0.window)))" as SQLQueryString }
            .joined(separator: " OR ")
    }
}
