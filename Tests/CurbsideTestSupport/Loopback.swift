import NIOCore

/// How long a test waits for an answer over loopback: from the app under
/// test, a simulated channel or a server process. On a machine busy with the
/// whole suite a call can wait seconds for a thread, and these tests check
/// what is answered, not how fast (a server that is down refuses at once).
public enum Loopback {
    public static let deadline: TimeAmount = .seconds(60)
    public static var deadlineMilliseconds: Int64 { deadline.nanoseconds / 1_000_000 }
}
