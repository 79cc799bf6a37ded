/// Whether a message's timestamp is within `window` seconds of `now`. The
/// timestamp is the sender's: any Int64 may come, so the distance is taken
/// without overflowing.
public enum Freshness {
    public static func within(_ window: Int64, sent: Int64, now: Int64) -> Bool {
        let (distance, overflow) = now.subtractingReportingOverflow(sent)
        return !overflow && distance.magnitude <= window.magnitude
    }
}
