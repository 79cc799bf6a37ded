/// Beats' bay lists, each read once and shared by every request for the beat
/// for up to `maxAge`: officers of one beat polling their handhelds cost one
/// query a second between them, not one each. A reading in flight is awaited
/// by the requests that arrive meanwhile rather than repeated. Single-bay
/// inspection does not come through here and is always read afresh.
public actor BeatListCache {
    public let maxAge: Duration
    private var readings: [String: (at: ContinuousClock.Instant, task: Task<[BeatBay], any Error>)] = [:]

    public init(maxAge: Duration) {
        self.maxAge = maxAge
    }

    /// The beat's list, from a reading younger than `maxAge` or from `read`.
    public func list(beat: String, read: @escaping @Sendable () async throws -> [BeatBay]) async throws -> [BeatBay] {
        let now = ContinuousClock.now
        if let reading = readings[beat], now - reading.at < maxAge { return try await reading.task.value }
        let task = Task { try await read() }
        readings[beat] = (now, task)
        do {
            return try await task.value
        } catch {
            // A failed reading is not shared: the next request reads again.
            if readings[beat]?.task == task { readings[beat] = nil }
            throw error
        }
    }
}
