import Foundation

/// Says on standard error, every quarter of an hour, which test case is still
/// running. A test that hangs then names itself in a CI log that would
/// otherwise just stop. (A dispatch timer is safe to cancel from any thread.)
public final class StillRunning: @unchecked Sendable {
    private let timer: any DispatchSourceTimer

    public init(_ name: String, every seconds: Int = 900, say: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        timer = DispatchSource.makeTimerSource(queue: .global())
        let started = ContinuousClock.now
        timer.setEventHandler {
            say("⏳ still running after \((ContinuousClock.now - started).components.seconds) s: \(name)\n")
        }
        timer.schedule(deadline: .now() + .seconds(seconds), repeating: .seconds(seconds))
        timer.resume()
    }

    public func stop() { timer.cancel() }
}
