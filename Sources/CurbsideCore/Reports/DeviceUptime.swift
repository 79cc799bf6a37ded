/// How long devices were online within a period, from the comms lost and
/// restored records: a device counts from when it was first seen, and is
/// offline from each comms_lost to the next comms_restored.
public struct DeviceUptime: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        case lost(Int64)
        case restored(Int64)
    }

    public var onlineMs: Int64 = 0
    public var knownMs: Int64 = 0

    public init() {}

    /// Adds one device. `online` says whether it was online at the period's start;
    /// `changes` are its records within the period, in time order.
    public mutating func add(firstSeen: Int64, onlineAtStart online: Bool, changes: [Change], period: Range<Int64>) {
        let start = max(firstSeen, period.lowerBound)
        guard start < period.upperBound else { return }
        var isOnline = online
        var cursor = start
        for change in changes {
            let (at, next): (Int64, Bool) = switch change {
            case let .lost(at): (at, false)
            case let .restored(at): (at, true)
            }
            let clamped = min(max(at, start), period.upperBound)
            if isOnline { onlineMs += clamped - cursor }
            cursor = clamped
            isOnline = next
        }
        if isOnline { onlineMs += period.upperBound - cursor }
        knownMs += period.upperBound - start
    }
}
