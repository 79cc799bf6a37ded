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
        // initdb refuses to run as root; the postgres system user runs the cluster then.
        let asPostgres = geteuid() == 0
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if asPostgres {
            try run("/bin/chown", ["postgres:postgres", directory])
        }
        let data = directory + "/data"
        try run(binaries.initdb, ["-D", data, "-U", "curbside", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"], asPostgres: asPostgres)
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
                try run(binaries.pgCtl, ["-D", data, "-l", directory + "/server.log", "-o", options, "-w", "-t", "60", "start"], asPostgres: asPostgres)
                break
            } catch where attempt < 5 {
                continue
            }
        }
        clusterToStop = (binaries.pgCtl, directory, asPostgres)
        atexit {
            guard let cluster = clusterToStop else { return }
            try? ThrowawayCluster.run(cluster.pgCtl, ["-D", cluster.directory + "/data", "-m", "immediate", "-w", "stop"], asPostgres: cluster.asPostgres)
            try? FileManager.default.removeItem(atPath: cluster.directory)
        }
        return TestPostgres.Server(host: "127.0.0.1", port: port, username: "curbside", password: nil)
    }

    /// Runs a program to completion with posix_spawn and waitpid. (Foundation's
    /// Process can miss the exit of a child that itself starts a daemon.)
    static func run(_ executable: String, _ arguments: [String], asPostgres: Bool = false) throws {
        let argv = asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments : [executable] + arguments
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-pg-run-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw TestPostgresError("cannot start \(argv[0]): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status >> 8) & 0xFF
        guard status & 0x7F == 0, exitCode == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw TestPostgresError("\(argv.joined(separator: " ")) failed (status \(status)):\n\(text)")
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
