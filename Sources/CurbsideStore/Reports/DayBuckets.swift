import CurbsideCore
import SQLKit

/// How the database buckets instants into the report's local days. Where the
/// zone's offset is the same throughout the period (Asia/Shanghai always),
/// the database works out the local day itself, so a month sums into thirty
/// buckets; across an offset change it buckets by UTC quarter-hour and the
/// zone clock turns each quarter into its local day.
struct DayBuckets: Sendable {
    let clock: ZoneClock
    /// The offset in ms when it holds for the whole period.
    let fixedOffset: Int64?

    init(clock: ZoneClock, range: Range<Int64>) {
        self.clock = clock
        let first = clock.offset(atUTC: range.lowerBound / 1000), last = clock.offset(atUTC: (range.upperBound - 1) / 1000)
        // Offset changes are months apart, so equal ends mean none between them in a month.
        fixedOffset = first == last ? first * 1000 : nil
    }

    /// The SQL bucket of a column of UTC ms.
    func bucket(_ column: String) -> SQLQueryString {
        if let fixedOffset { return "(\(unsafeRaw: column) + \(literal: Int(fixedOffset))) / 86400000" }
        return "\(unsafeRaw: column) / 900000"
    }

    /// The local day number of a bucket.
    func day(_ bucket: Int64) -> Int {
        fixedOffset == nil ? clock.localDay(bucket * 900) : Int(bucket)
    }
}
