import CurbsideCore
import CurbsideStore
import Foundation

/// Running the service: health, readiness, metrics, the contract, and staff accounts.
struct OperationsHandler: RequestHandling {
    let configuration: CurbsideConfiguration
    let store: Store
    let clock: @Sendable () -> Date
    let tokens: TokenService
    let guards: EdgeGuards
    /// Readiness answers 503 once the server is draining.
    let drain: ServerDrain
}
