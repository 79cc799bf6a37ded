import CurbsideCore
import CurbsideStore
import Foundation

/// The bay registry and what the public reads of it: zones, road segments, bays, imports, static data for the city, availability, bay look-ups, tariffs and quotes.
struct RegistryHandler: RequestHandling {
    let configuration: CurbsideConfiguration
    let store: Store
    let clock: @Sendable () -> Date
    let tariffs: TariffBook
}
