import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The data folder of the cluster this process started, stopped at exit.
nonisolated(unsafe) private var clusterToStop: (pgCtl: String, directory: String, asPostgres: Bool)?

/// A PostgreSQL cluster of the test process's own, tuned for speed rather than
/// durability (no fsync): its data lives only as long as the tests.
public enum ThrowawayCluster {
    static func start() async throws -> TestPostgres.Server {
        guard let binaries = Binaries.find() else { throw TestPostgresError(TestPostgres.skipReason) }
        await reapAbandoned(pgCtl: binaries.pgCtl)
        // initdb refuses to run as root; the postgres system user runs the cluster then.
        let asPostgres = geteuid() == 0
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if asPostgres {
            try await run("/bin/chown", ["postgres:postgres", directory])
        }
        let data = directory + "/data"
        try await run(binaries.initdb, ["-D", data, "-U", "curbside", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"], asPostgres: asPostgres)
        // Another test may take the free port before the server binds it: try a few.
        var port = 0
        for attempt in 1...5 {
            port = try freePort()
            let options = [
                "-p \(port)", "-k \(directory)", "-c listen_addresses=127.0.0.1", "-c fsync=off",
                "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=400",
                "-c shared_buffers=256MB",
            ].joined(separator: " ")
            do {
                try await run(binaries.pgCtl, ["-D", data, "-l", directory + "/server.log", "-o", options, "-w", "-t", "60", "start"], asPostgres: asPostgres)
                break
            } catch where attempt < 5 {
                continue
            }
        }
        clusterToStop = (binaries.pgCtl, directory, asPostgres)
        atexit {
            guard let cluster = clusterToStop else { return }
            let stop = [cluster.pgCtl, "-D", cluster.directory + "/data", "-m", "immediate", "-w", "stop"]
            let argv = cluster.asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + stop : stop
            _ = (try? ChildProcess(argv[0], Array(argv.dropFirst())))?.waitBlocking()
            try? FileManager.default.removeItem(atPath: cluster.directory)
        }
        return TestPostgres.Server(host: "127.0.0.1", port: port, username: "curbside", password: nil)
    }

    /// Stops and removes clusters left behind by test processes that were killed
    /// before their exit handler ran (the folder name carries the process id).
    static func reapAbandoned(pgCtl: String) async {
        let temporary = FileManager.default.temporaryDirectory.path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? [] where name.hasPrefix("curbside-pg-") {
            let parts = name.split(separator: "-")
            guard parts.count == 4, let owner = Int32(parts[2]), kill(owner, 0) != 0 else { continue }
            let directory = temporary + "/" + name
            if FileManager.default.fileExists(atPath: directory + "/data/postmaster.pid") {
                try? await run(pgCtl, ["-D", directory + "/data", "-m", "immediate", "-w", "stop"], asPostgres: geteuid() == 0)
            }
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// Runs a program to completion, as the postgres user when asked.
    static func run(_ executable: String, _ arguments: [String], asPostgres: Bool = false) async throws {
        let argv = asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments : [executable] + arguments
        let (status, output) = try await ChildProcess.run(argv[0], Array(argv.dropFirst()))
        guard status == 0 else {
            throw TestPostgresError("\(argv.joined(separator: " ")) failed (status \(status)):\n\(output)")
        }
    }

    /// A port nothing listens on now: bind to port 0 and read what the kernel chose.
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestPostgresError("socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw TestPostgresError("bind() failed") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw TestPostgresError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
