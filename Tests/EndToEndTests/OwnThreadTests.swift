import CurbsideSimulation
import CurbsideStoreTestSupport
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// Test code runs on threads of its own, never on the pool the loopback
/// servers answer on; every suite says so.
@Suite("Tests' own threads", .ownThread)
struct OwnThreadTests {
    /// The running thread's name as the system knows it.
    static func threadName() -> String {
        ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The running thread's nice value (field 19 of its stat line).
    static func niceness() -> Int? {
        guard let stat = try? String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        return fields.count > 16 ? Int(fields[16]) : nil
    }

    @Test("A test runs on its own thread, below the shared pool's priority, and after an await comes back to it; a detached task runs on the pool")
    func ownThread() async throws {
        #expect(Self.threadName() == OwnThread.threadName)
        #expect(Self.niceness() == 10)
        #expect(await Task.detached { Self.niceness() }.value == 0)
        try await Task.sleep(for: .milliseconds(10))
        #expect(Self.threadName() == OwnThread.threadName)
        async let child = Self.threadName()
        #expect(await child == OwnThread.threadName, "child tasks keep the preference")
        #expect(await Task.detached { Self.threadName() }.value != OwnThread.threadName)
    }

    @Test("A test still running names itself on schedule, and is silent once it ends")
    func stillRunning() async throws {
        // Only the timer writes; the test reads copies.
        let said = Locked(wrappedValue: [String]())
        let watch = StillRunning("the slow one", every: 1) { said.wrappedValue.append($0) }
        #expect(try await Loopback.eventually(every: .milliseconds(100)) { said.wrappedValue.count >= 2 })
        watch.stop()
        let lines = said.wrappedValue
        #expect(lines.allSatisfy { $0.hasPrefix("⏳ still running after ") && $0.hasSuffix(" s: the slow one\n") }, "\(lines)")
        try await Task.sleep(for: .milliseconds(2500))
        #expect(said.wrappedValue.count == lines.count, "nothing said after stop")
    }

    @Test("Every suite in Tests/ takes .ownThread")
    func everySuite() throws {
        let root = RepositoryPaths.root + "/Tests"
        let files = try #require(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        var suites = 0
        var without: [String] = []
        for file in files {
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("@Suite") {
                suites += 1
                if !line.contains(".ownThread") { without.append("\(file): \(line)") }
            }
        }
        #expect(suites > 100)
        #expect(without.isEmpty, "\(without.joined(separator: "\n"))")
    }
}
