import CurbsideCore
import CurbsideStore
import Foundation

/// The handheld: shifts, the beat's bays, inspections and the offline street-action queue.
struct PatrolHandler: BillShowing {
    let configuration: CurbsideConfiguration
    let store: Store
    let clock: @Sendable () -> Date
    let tariffs: TariffBook
    let beatLists: BeatListCache
    let jobs: BackgroundJobs
}
