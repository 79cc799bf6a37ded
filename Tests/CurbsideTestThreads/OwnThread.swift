import Testing

/// Runs each test case on a thread of its own; every suite takes it
/// (`@Suite("…", .ownThread)`). Swift's shared pool has one thread per core,
/// and the loopback servers the tests talk to (the app, the channel
/// simulators) answer on it. With test code there too, a few tests that
/// compute for seconds without awaiting (a day simulated, a contract parsed,
/// keys made) held a two-core machine's pool for over a minute at the start
/// of a run, and calls to those servers timed out. On threads of their own
/// the system shares the cores among them and the servers alike. A case
/// that runs for minutes says so on standard error (`StillRunning`).
public struct OwnThread: TestTrait, SuiteTrait, TestScoping {
    /// What `top -H`, gdb and perf show for these threads (at most 15 bytes).
    public static let threadName = "own-test-thread"

    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let executor = ThreadExecutor()
        let watch = StillRunning(test.displayName ?? test.name)
        defer {
            watch.stop()
            executor.finish()
        }
        try await withTaskExecutorPreference(executor, operation: function)
    }
}

extension Trait where Self == OwnThread {
    public static var ownThread: Self { Self() }
}
