import ArgumentParser
import CurbsideCore
import CurbsideServer
import CurbsideStore
import Foundation

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild every parking session from the stored device events and report any difference from the stored sessions.",
        discussion: "None is expected: sessions are a pure fold of the events. Exits with status 1 when there are differences."
    )

    @Option(help: "Only this bay.")
    var bay: String?

    func run() async throws {
        var only: BayCode?
        if let bay {
            do {
                only = try BayCode(parsing: bay)
            } catch {
                throw ValidationError(error.description)
            }
        }
        let configuration = try CommandEnvironment.configuration()
        CommandEnvironment.bootstrapLogging(configuration, level: .warning)
        let report = try await CommandEnvironment.withApplication(logLevel: .warning) { app in
            try await CurbsideApp.configure(app, configuration, options: .init(loadTariffs: false, seedRegistry: false, routes: false))
            let started = ContinuousClock.now
            let lastShown = LockedValue(0)
            return try await CurbsideStore.Replay(database: app.db, rules: configuration.ingest.fusion).run(bay: only) { done, total in
                let percent = total == 0 ? 100 : done * 100 / total
                guard lastShown.exchange(percent) != percent || done == total else { return }
                let elapsed = ContinuousClock.now - started
                FileHandle.standardError.write(Data("\r  replaying: \(done)/\(total) bays (\(percent)%), \(elapsed.components.seconds) s".utf8))
                if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
            }
        }
        print("Replayed \(report.events) events of \(report.bays) bays into \(report.sessions) sessions: \(report.differences.count) difference(s) from the stored sessions.")
        for difference in report.differences.prefix(20) {
            let id = difference.stored?.id ?? difference.rebuilt?.id ?? "?"
            print("  \(difference.kind.rawValue): \(id)")
        }
        if report.differences.count > 20 { print("  ... and \(report.differences.count - 20) more") }
        if !report.differences.isEmpty { throw ExitCode(1) }
    }
}

/// A value shared with a progress callback.
final class LockedValue<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    /// Stores a new value and returns the old one.
    func exchange(_ new: Value) -> Value {
        lock.withLock {
            let old = value
            value = new
            return old
        }
    }
}
