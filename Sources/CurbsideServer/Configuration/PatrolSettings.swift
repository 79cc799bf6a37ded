import CurbsideCore

/// What patrol officers are shown and alerted to.
public struct PatrolSettings: Sendable {
    /// A car parked longer than this is shown as an overstay (ms).
    public var overstayAfter: Int64 = 12 * Milliseconds.hour
    /// Overdue arrears (fen) at which a plate parking again alerts patrol.
    public var alertArrearsFen = 5_000
    /// How old a beat's bay list may be when served: requests for one beat within this
    /// share one reading (ms; 0 reads afresh every time).
    public var beatListMaxAge: Int64 = 1_000

    public init() {}

    /// `CURBSIDE_OVERSTAY_HOURS`, `CURBSIDE_ALERT_ARREARS_FEN`, `CURBSIDE_BEAT_LIST_MAX_AGE_MS`.
    init(reading curbside: SettingsReader) throws {
        overstayAfter = Int64(try curbside.whole("overstayHours", default: 12, in: 1...256)) * Milliseconds.hour
        alertArrearsFen = try curbside.whole("alertArrearsFen", default: alertArrearsFen, in: 1...100_000_000)
        beatListMaxAge = Int64(try curbside.whole("beatListMaxAgeMs", default: Int(beatListMaxAge), in: 0...60_000))
    }
}
