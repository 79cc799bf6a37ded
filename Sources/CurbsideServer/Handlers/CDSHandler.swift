import CurbsideCore
import CurbsideStore
import Foundation

/// The Curb Data Specification 1.1: curbs, events and metrics.
struct CDSHandler: RequestHandling {
    let configuration: CurbsideConfiguration
    let store: Store
    let clock: @Sendable () -> Date
    let tariffs: TariffBook
    /// nil where no concession contract is configured: reports are then refused.
    let contract: ConcessionContract?
}
