import Foundation

/// The store keeps instants as milliseconds since the Unix epoch; the contract speaks `Date`.
extension Date {
    init(milliseconds: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
    }

    /// Rounded to the nearest millisecond.
    var milliseconds: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded())
    }
}
