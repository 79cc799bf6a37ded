import CurbsideStoreTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension ChildProcess {
    /// The `curbside-bench` executable built beside the test bundle.
    public static var curbsideBench: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("curbside-bench").path
    }

    /// The `curbside` executable built beside the test bundle.
    public static var curbside: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("curbside").path
    }

    /// A token from `curbside token`, run with a server's environment: the
    /// command makes the account behind the token in that server's database.
    public static func token(_ role: String, _ subject: String, environment: [String: String]) async throws -> String {
        let result = try await run(curbside, ["token", "--role", role, "--subject", subject, "--hours", "1"], environment: environment)
        guard result.status == 0, let token = result.output.split(separator: "\n").last(where: { $0.hasPrefix("eyJ") }) else {
            throw TestPostgresError("curbside token failed: \(result.output)")
        }
        return String(token)
    }

    /// The port a `curbside serve --port 0` child bound, read from its start-up log
    /// line: picking a free port beforehand would race with other tests. Seeding a
    /// fresh SQLite database beside the whole suite on two cores can take over a minute.
    public func listeningPort(within seconds: Double = 180) async throws -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            // The whole log is read again at each poll: searched as bytes, not by a regex over a String.
            if let log = try? Data(contentsOf: URL(fileURLWithPath: outputPath)), let port = Self.port(startedIn: log) { return port }
            if hasExited { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestPostgresError("the server did not start listening:\n\(output)")
    }

    /// The port in Vapor's "Server started on http://127.0.0.1:PORT" line, plain or as JSON.
    static func port(startedIn log: Data) -> Int? {
        guard let marker = log.range(of: Data("Server started on http://".utf8)) else { return nil }
        let address = log[marker.upperBound...].prefix { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard let colon = address.lastIndex(of: UInt8(ascii: ":")) else { return nil }
        return Int(String(decoding: address[(colon + 1)...], as: UTF8.self))
    }
}
