import CurbsideCore
import CurbsideStore
import Foundation

/// Parking sessions as fusion made them, their corrections, and device health.
struct SessionsHandler: RequestHandling {
    let configuration: CurbsideConfiguration
    let store: Store
    let clock: @Sendable () -> Date
    let bindings: DeviceBindingsCache
}
