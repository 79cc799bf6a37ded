import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program started by a test, with its output going to a file and no other
/// descriptor of the test process. Uses posix_spawn and waitpid directly so
/// that exit statuses are never missed.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    public let outputPath: String
    private var status: Int32?

    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-child-\(UUID().uuidString).log").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the test process goes with it. A PostgreSQL cluster started while another test's
        // pipe was open held that pipe's write end for the rest of the run, and the reader never saw its end.
        guard let closeFrom = Self.closeFrom, closeFrom(&actions, 3) == 0 else {
            throw TestPostgresError("cannot start \(executable): posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or later) is missing")
        }
        let argv = [executable] + arguments
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, nil, &cArguments, &cEnvironment)
        guard result == 0 else { throw TestPostgresError("cannot start \(executable): error \(result)") }
        self.pid = pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np`, which its header declares only to GNU sources.
    private static let closeFrom = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }

    /// Runs to completion and returns the exit status and everything it printed.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        let child = try ChildProcess(executable, arguments, environment: environment)
        let status = await child.wait()
        return (status, child.output)
    }

    public var output: String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// Whether it has exited (or was never there to signal).
    public var hasExited: Bool {
        status != nil || kill(pid, 0) != 0
    }

    /// Sends a signal: SIGTERM to stop, SIGKILL to crash it.
    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits for the exit on a thread of its own; returns the exit code, or 128 + signal.
    public func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.waitBlocking()) }
        }
    }

    /// Blocks the calling thread until the exit (for atexit handlers, which cannot await).
    public func waitBlocking() -> Int32 {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        let code = raw & 0x7F == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
        status = code
        return code
    }

    deinit {
        if status == nil { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(atPath: outputPath)
    }
}
