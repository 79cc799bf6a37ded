import CurbsideStore

/// Alerts patrol to repeat offenders whose arrears pass the threshold.
struct AlertsJob: PeriodicJob {
    let alerts: Alerts

    var name: String { "alerts" }
    var pauseAfterFailure: Duration { .seconds(5) }

    func round(now: Int64) async throws -> JobPause {
        _ = try await alerts.runOnce(now: now)
        return .after(.seconds(5))
    }
}
