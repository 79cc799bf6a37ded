/// The hours of the night when nothing is sent to citizens, on the city's
/// clock: from `start` o'clock to `end` o'clock, across midnight when start
/// is later than end (21-8 is 21:00 to 08:00).
public struct QuietHours: Sendable, Equatable {
    public let start: Int
    public let end: Int

    public init?(start: Int, end: Int) {
        guard (0...23).contains(start), (0...23).contains(end), start != end else { return nil }
        self.start = start
        self.end = end
    }

    /// Reads "21-8".
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int(parts[0]), let end = Int(parts[1]) else { return nil }
        self.init(start: start, end: end)
    }

    /// When the quiet hours around `instant` (milliseconds) end; nil when `instant` is not in them.
    public func end(after instant: Int64, in clock: ZoneClock) -> Int64? {
        let local = clock.local(instant / 1000)
        let secondOfDay = ((local % 86_400) + 86_400) % 86_400
        let hour = Int(secondOfDay / 3600)
        let quiet = start < end ? (start..<end).contains(hour) : hour >= start || hour < end
        guard quiet else { return nil }
        let endLocal = local - secondOfDay + Int64(end) * 3600 + (start > end && hour >= start ? 86_400 : 0)
        return clock.utc(fromLocal: endLocal) * 1000
    }
}
