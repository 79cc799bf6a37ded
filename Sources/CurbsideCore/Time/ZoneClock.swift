import Foundation

/// Converts between UTC instants and local wall-clock seconds in one IANA
/// time zone, from a table of its offset changes built once. Zones without
/// changes in the years priced (Asia/Shanghai since 1991) take a fast path.
public struct ZoneClock: Sendable {
    public let identifier: String
    /// UTC seconds at which `offsets[i]` starts to apply; `offsets[0]` applies before the first.
    private let changes: [Int64]
    private let offsets: [Int64]

    /// nil for an unknown time zone identifier.
    public init?(identifier: String) {
        if let cached = ZoneClockCache.shared.clock(identifier) {
            self = cached
            return
        }
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        var changes: [Int64] = []
        var offsets = [Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: 0)))]
        var cursor = Date(timeIntervalSince1970: 0)
        let end = Date(timeIntervalSince1970: 4_102_444_800) // 2100-01-01
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < end {
            let offset = Int64(zone.secondsFromGMT(for: next))
            if offset != offsets.last {
                changes.append(Int64(next.timeIntervalSince1970))
                offsets.append(offset)
            }
            cursor = next
        }
        // Drop changes before 2000: nothing priced today starts earlier, and Shanghai becomes constant.
        let recent = changes.firstIndex { $0 >= 946_684_800 } ?? changes.count
        self.identifier = identifier
        self.changes = Array(changes[recent...])
        self.offsets = Array(offsets[recent...])
        ZoneClockCache.shared.store(self)
    }

    /// The zone's offset from UTC, in seconds, at a UTC instant.
    @inline(__always)
    public func offset(atUTC instant: Int64) -> Int64 {
        if changes.isEmpty { return offsets[0] }
        var low = 0, high = changes.count
        while low < high {
            let middle = (low + high) / 2
            if changes[middle] <= instant { low = middle + 1 } else { high = middle }
        }
        return offsets[low]
    }

    @inline(__always)
    public func local(_ instant: Int64) -> Int64 {
        instant + offset(atUTC: instant)
    }

    /// The local day (days since 1970-01-01) an instant falls on.
    @inline(__always)
    public func localDay(_ instant: Int64) -> Int {
        Int(floorDivide(local(instant), 86_400))
    }

    /// The first instant that reads as `local` on the wall clock. A local time
    /// skipped by a change (spring forward) maps to the instant the clock jumps.
    public func utc(fromLocal local: Int64) -> Int64 {
        if changes.isEmpty { return local - offsets[0] }
        var best: Int64?
        for offset in Set(offsets) {
            let candidate = local - offset
            if self.offset(atUTC: candidate) == offset, best.map({ candidate < $0 }) ?? true { best = candidate }
        }
        if let best { return best }
        // In a gap: read with the offset before the change, the time lies past the change.
        let before = offset(atUTC: local - offsets.max()! - 1)
        return changes.last { $0 <= local - before } ?? local - before
    }
}

@inline(__always)
func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
}

/// Built clocks by identifier: building one walks a century of transitions.
final class ZoneClockCache: @unchecked Sendable {
    static let shared = ZoneClockCache()
    private let lock = NSLock()
    private var clocks: [String: ZoneClock] = [:]

    func clock(_ identifier: String) -> ZoneClock? {
        lock.withLock { clocks[identifier] }
    }

    func store(_ clock: ZoneClock) {
        lock.withLock { clocks[clock.identifier] = clock }
    }
}

extension ZoneClockCache {
    /// Forgets every built clock (for tests that rebuild clocks under another process time zone).
    func removeAll() {
        lock.withLock { clocks.removeAll() }
    }
}
