import NIOCore

/// How long a test waits for an answer over loopback: from the app under
/// test, a simulated channel, a server process or a background job. On a
/// machine busy with the whole suite a call can wait seconds for a thread,
/// and these tests check what is answered, not how fast (a server that is
/// down refuses at once).
public enum Loopback {
    public static let deadline: TimeAmount = .seconds(60)
    public static var deadlineMilliseconds: Int64 { deadline.nanoseconds / 1_000_000 }

    /// Polls `condition` until it holds or the deadline passes; whether it held.
    public static func eventually(every interval: Duration = .milliseconds(25), _ condition: () async throws -> Bool) async throws -> Bool {
        let end = ContinuousClock.now + .milliseconds(deadlineMilliseconds)
        while true {
            if try await condition() { return true }
            if ContinuousClock.now >= end { return false }
            try await Task.sleep(for: interval)
        }
    }
}
