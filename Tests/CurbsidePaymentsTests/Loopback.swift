import NIOCore

/// Calls to the loopback simulators get a minute: on a machine busy with the
/// whole suite a call can wait seconds for a thread, and these tests check
/// what is answered, not how fast (a simulator that is down refuses at once).
enum Loopback {
    static let deadline: TimeAmount = .seconds(60)
}
