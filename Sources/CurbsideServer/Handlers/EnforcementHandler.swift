import CurbsideCore
import CurbsideStore
import Foundation

/// Unpaid bills pursued: enforcement cases and their exports, repeat-offender alerts, and appeals.
struct EnforcementHandler: RequestHandling {
    let configuration: CurbsideConfiguration
    let store: Store
    let clock: @Sendable () -> Date
    let guards: EdgeGuards
}
