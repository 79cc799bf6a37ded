import CurbsideCore
import Foundation
import SQLKit

extension FeedOutbox {
    /// Queues the occupied and free counts of each road segment whose counts changed since `previous`
    /// (every segment when `everything`), and returns the counts now, to pass as `previous` next time.
    /// Counts are the availability API's: open bays of open zones, a bay unknown once its device has
    /// been silent for `freshness` ms.
    public func publishOccupancy(since previous: [String: FeedOccupancy], everything: Bool, now: Int64, freshness: Int64) async throws -> [String: FeedOccupancy] {
        let zones = try await Registry(store: store, database: database)
            .availability(at: Date(timeIntervalSince1970: TimeInterval(now) / 1000), freshness: freshness)
        let current = zones.flatMap { zone in
            zone.segments.map { segment, counts in
                FeedOccupancy(
                    segment: segment.spec.id, zone: zone.zone.spec.id, bays: counts.total, occupied: counts.occupied ?? 0, free: counts.free ?? 0,
                    unknown: counts.unknown, evBays: counts.evTotal, evFree: counts.evFree ?? 0
                )
            }
        }
        let records = FeedOccupancy.changed(current, since: previous, everything: everything).map {
            FeedRecord(kind: .occupancy, bay: $0.segment, at: now, occupancy: $0)
        }
        if !records.isEmpty {
            try await store.write(on: database) { db in try await FeedOutbox.add(records, on: db as! any SQLDatabase) }
        }
        return Dictionary(current.map { ($0.segment, $0) }, uniquingKeysWith: { _, last in last })
    }
}
