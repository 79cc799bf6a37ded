import Foundation
import Testing

/// Chromium from Debian's packages, run headless: loads a page, lets its
/// scripts run and its requests finish, and returns the resulting DOM.
public enum HeadlessBrowser {
    public static var executable: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// CURBSIDE_REQUIRE_BROWSER=1 (CI) makes a missing browser a failure rather than a skip.
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["CURBSIDE_REQUIRE_BROWSER"] == "1" }

    /// Cancels the calling test (reported as skipped, with the reason) where no browser is installed and none is required.
    public static func requireOrSkip() throws -> String {
        if let executable { return executable }
        if !isRequired {
            try Test.cancel("The browser test was SKIPPED: Chromium is not installed (apt-get install chromium). CURBSIDE_REQUIRE_BROWSER=1 makes this an error.")
        }
        throw TestPostgresError("Chromium is required (CURBSIDE_REQUIRE_BROWSER=1) but not installed")
    }

    /// A phone's browser: its screen and its user agent.
    public static let phone = ["--window-size=390,844", "--lang=zh-CN", "--accept-lang=zh-CN", "--user-agent=Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"]

    /// The page's DOM once its scripts have settled, within `budget` milliseconds of virtual time.
    public static func dom(_ url: String, budget: Int = 20_000, arguments: [String] = []) async throws -> String {
        let executable = try requireOrSkip()
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-chromium-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let result = try await ChildProcess.run(executable, [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=\(profile)",
            "--virtual-time-budget=\(budget)",
        ] + arguments + ["--dump-dom", url])
        guard result.status == 0 else { throw TestPostgresError("chromium exited with \(result.status):\n\(result.output)") }
        return result.output
    }
}
