import CurbsideCore
import CurbsideStore
import Foundation

/// What gateways send: device events, evidence images, and the gateways themselves.
struct IngestHandler: RequestHandling {
    let configuration: CurbsideConfiguration
    let store: Store
    let clock: @Sendable () -> Date
    let bindings: DeviceBindingsCache
    let evidence: any EvidenceObjects
    let jobs: BackgroundJobs
    /// nil where no concession contract is configured: reports are then refused.
    let contract: ConcessionContract?
}
