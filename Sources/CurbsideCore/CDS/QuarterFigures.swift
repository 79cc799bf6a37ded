/// What ended stays add to one UTC quarter-hour of a place for the CDS
/// aggregates: the stays that started in it (and the time each stayed), the
/// stays that ended in it, and the part of it they filled. Every figure is a
/// sum, so a place's figures are its bays' added up, a month of stays arrives
/// as a few rows a place a quarter, and a stay counted wrongly is taken back
/// by adding its figures negated. The quarters of any time zone nest in its
/// hours, so an hour's figures are its quarters' added up.
public struct QuarterFigures: Sendable, Equatable {
    public var starts: Int64
    /// Start to end of the stays that started in the quarter.
    public var dwellMs: Int64
    public var ends: Int64
    public var occupiedMs: Int64

    public init(starts: Int64 = 0, dwellMs: Int64 = 0, ends: Int64 = 0, occupiedMs: Int64 = 0) {
        self.starts = starts
        self.dwellMs = dwellMs
        self.ends = ends
        self.occupiedMs = occupiedMs
    }

    public static let quarter = LocalHour.quarter

    public var isZero: Bool { self == QuarterFigures() }

    /// Each quarter's figures of one stay from `start` to `end` (UTC ms), by quarter number (UTC ms / 900,000).
    public static func of(start: Int64, end: Int64) -> [Int64: QuarterFigures] {
        var figures: [Int64: QuarterFigures] = [:]
        let first = floorDivide(start, quarter)
        figures[first, default: .init()].starts += 1
        figures[first, default: .init()].dwellMs += end - start
        figures[floorDivide(end, quarter), default: .init()].ends += 1
        var q = first
        while q * quarter < end, start < end {
            let filled = min(end, (q + 1) * quarter) - max(start, q * quarter)
            figures[q, default: .init()].occupiedMs += filled
            q += 1
        }
        return figures
    }

    public static func += (a: inout QuarterFigures, b: QuarterFigures) {
        a.starts += b.starts
        a.dwellMs += b.dwellMs
        a.ends += b.ends
        a.occupiedMs += b.occupiedMs
    }

    public static prefix func - (a: QuarterFigures) -> QuarterFigures {
        .init(starts: -a.starts, dwellMs: -a.dwellMs, ends: -a.ends, occupiedMs: -a.occupiedMs)
    }
}
