import CurbsideCore
import FluentKit
import Foundation

/// Open bays in one place and what is known of their occupancy. Occupancy
/// counts are nil until device events report them: unknown is not free.
public struct Availability: Sendable, Equatable {
    public var total = 0
    public var evTotal = 0
    public var occupied: Int?
    public var free: Int?
    public var evFree: Int?
    /// Bays whose occupancy no device has reported.
    public var unknown = 0
}

/// Availability of a zone and of each of its road segments.
public struct ZoneAvailability: Sendable {
    public var zone: ZoneRecord
    public var status: EffectiveStatus
    public var availability: Availability
    public var segments: [(segment: RoadSegmentRecord, availability: Availability)]
}

extension Registry {
    /// Counts open bays per zone and segment. Suspended and retired bays, and
    /// every bay of a suspended zone, are left out of the totals.
    public func availability(zoneID: String? = nil, at now: Date = Date()) async throws -> [ZoneAvailability] {
        let zones: [ZoneRecord]
        if let zoneID {
            zones = try await zone(zoneID).map { [$0] } ?? []
        } else {
            zones = try await self.zones()
        }
        var result: [ZoneAvailability] = []
        for zone in zones {
            let status = zone.status(at: now)
            let segments = try await segments(zoneID: zone.spec.id).filter { $0.lifecycle == .active }
            var perSegment: [String: Availability] = [:]
            if status == .active {
                let bays = try await BayModel.query(on: database)
                    .filter(\.$zoneID == zone.spec.id)
                    .filter(\.$lifecycle == Lifecycle.active.rawValue)
                    .all()
                for bay in bays where EffectiveStatus.at(now, lifecycle: .active, suspension: bay.suspension) == .active {
                    perSegment[bay.segmentID, default: Availability()].count(isEV: bay.kind == "ev_charging")
                }
            }
            let rows = segments.map { ($0, perSegment[$0.spec.id] ?? Availability()) }
            var total = Availability()
            for (_, counts) in rows {
                total.total += counts.total
                total.evTotal += counts.evTotal
                total.unknown += counts.unknown
            }
            result.append(ZoneAvailability(zone: zone, status: status, availability: total, segments: rows))
        }
        return result
    }
}

extension Availability {
    mutating func count(isEV: Bool) {
        total += 1
        unknown += 1
        if isEV { evTotal += 1 }
    }
}
