/// Occupied bay time of each zone by local quarter-hour of the day, summed
/// over a period. Stays arrive grouped by the UTC quarter-hours they start
/// and end in, with the sums of their starts and ends, which is enough to
/// split their time across quarter-hours exactly: a group of n stays from
/// quarter s to quarter e fills (s+1)·Q·n − Σstart of s, n·Q of each quarter
/// between, and Σend − e·Q·n of e. The database does the grouping, so a
/// million stays arrive as a few thousand rows. Time already summed by UTC
/// quarter-hour (the stays' day sums) arrives as `QuarterSum`s.
public struct OccupancyGrid: Sendable, Equatable {
    public static let quarter: Int64 = 900_000
    public static let quartersPerDay = 96

    /// Stays of one zone that start in UTC quarter `startQuarter` and end in `endQuarter` (clipped to the period).
    public struct Span: Sendable, Equatable {
        public var zone: String
        public var startQuarter: Int64
        public var endQuarter: Int64
        public var count: Int64
        public var startSum: Int64
        public var endSum: Int64

        public init(zone: String, startQuarter: Int64, endQuarter: Int64, count: Int64, startSum: Int64, endSum: Int64) {
            self.zone = zone
            self.startQuarter = startQuarter
            self.endQuarter = endQuarter
            self.count = count
            self.startSum = startSum
            self.endSum = endSum
        }
    }

    /// Occupied milliseconds of one zone in one UTC quarter-hour.
    public struct QuarterSum: Sendable, Equatable {
        public var zone: String
        public var quarter: Int64
        public var ms: Int64

        public init(zone: String, quarter: Int64, ms: Int64) {
            self.zone = zone
            self.quarter = quarter
            self.ms = ms
        }
    }

    /// Occupied milliseconds per zone, per local quarter-hour of the day (0 is 00:00–00:15).
    public private(set) var occupied: [String: [Int64]] = [:]

    public init() {}

    public init(spans: [Span], quarters: [QuarterSum] = [], clock: ZoneClock) {
        var localQuarter: [Int64: Int] = [:]
        func slot(_ quarter: Int64) -> Int {
            if let known = localQuarter[quarter] { return known }
            let local = clock.local(quarter * Self.quarter / 1000)
            let slot = Int(((local % 86_400) + 86_400) % 86_400 / 900)
            localQuarter[quarter] = slot
            return slot
        }
        for span in spans {
            var row = occupied[span.zone] ?? Array(repeating: 0, count: Self.quartersPerDay)
            if span.startQuarter == span.endQuarter {
                row[slot(span.startQuarter)] += span.endSum - span.startSum
            } else {
                row[slot(span.startQuarter)] += (span.startQuarter + 1) * Self.quarter * span.count - span.startSum
                var quarter = span.startQuarter + 1
                while quarter < span.endQuarter {
                    row[slot(quarter)] += Self.quarter * span.count
                    quarter += 1
                }
                row[slot(span.endQuarter)] += span.endSum - span.endQuarter * Self.quarter * span.count
            }
            occupied[span.zone] = row
        }
        for sum in quarters {
            occupied[sum.zone, default: Array(repeating: 0, count: Self.quartersPerDay)][slot(sum.quarter)] += sum.ms
        }
    }

    /// Occupied milliseconds of a zone within local minutes of the day.
    public func occupied(zone: String, minutes: Range<Int>) -> Int64 {
        guard let row = occupied[zone] else { return 0 }
        return (minutes.lowerBound / 15..<(minutes.upperBound + 14) / 15).reduce(0) { $0 + row[$1] }
    }

    /// Occupied milliseconds of a zone in each local hour.
    public func hourly(zone: String) -> [Int64] {
        let row = occupied[zone] ?? Array(repeating: 0, count: Self.quartersPerDay)
        return (0..<24).map { hour in row[hour * 4..<hour * 4 + 4].reduce(0, +) }
    }
}
