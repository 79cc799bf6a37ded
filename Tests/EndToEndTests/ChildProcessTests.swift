import CurbsideStoreTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// Programs the tests start (PostgreSQL, `curbside serve`, openssl) take
/// nothing of the test process with them.
@Suite("Programs started by tests", .ownThread)
struct ChildProcessTests {
    @Test("A program a test starts gets no descriptor of the test process but its three")
    func childDescriptors() throws {
        // A pipe whose ends are not closed on exec, as Foundation's Pipe makes them.
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { ends.forEach { close($0) } }
        let pipeName = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(ends[1])")
        let child = try ChildProcess("/bin/sleep", ["30"])
        defer {
            child.signal(SIGKILL)
            _ = child.waitBlocking()
        }
        let held = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(child.pid)/fd")
        let targets = held.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(child.pid)/fd/\($0)") }
        #expect(held.sorted() == ["0", "1", "2"], "\(zip(held, targets).map { "\($0) -> \($1)" })")
        #expect(!targets.contains(pipeName))
    }
}
