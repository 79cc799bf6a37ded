import CurbsideCore
import CurbsideStore
import Foundation

/// The concessionaire's reports: months, days, ledger entries, CSV and charts.
struct ReportsHandler: RequestHandling {
    let configuration: CurbsideConfiguration
    let store: Store
    let clock: @Sendable () -> Date
    /// nil where no concession contract is configured: reports are then refused.
    let contract: ConcessionContract?
}
