import Foundation

/// Curbside keeps instants as milliseconds since 1970-01-01 UTC (tariffs price in
/// seconds); `Date` is only for the edges. These are the one way between them.
extension Date {
    public init(milliseconds: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
    }

    public init(seconds: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// To the nearest millisecond: a `Date` holds seconds as a floating-point number,
    /// so 12.345 s may be 12.344999..., which rounding down would make 12.344.
    public var milliseconds: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded())
    }

    /// The whole second the instant falls in.
    public var seconds: Int64 {
        let milliseconds = milliseconds
        return milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
    }
}
