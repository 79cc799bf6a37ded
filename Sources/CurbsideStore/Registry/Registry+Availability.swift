import CurbsideCore
import FluentKit
import Foundation
import SQLKit

/// Open bays in one place and what is known of their occupancy. A bay's
/// occupancy is known while the device that last reported it is online;
/// occupancy counts are nil while no open bay's is: unknown is not free.
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
    /// every bay of a suspended zone, are left out of the totals. Reports older
    /// than `freshness` (a device gone quiet) count as unknown.
    public func availability(zoneID: String? = nil, at now: Date = Date(), freshness: Int64 = 15 * Milliseconds.minute) async throws -> [ZoneAvailability] {
        let live = try await occupancy(zoneID: zoneID, at: now.milliseconds, freshness: freshness)
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
                    perSegment[bay.segmentID, default: Availability()].count(isEV: bay.kind == "ev_charging", occupied: bay.id.flatMap { live[$0] })
                }
            }
            let rows = segments.map { ($0, perSegment[$0.spec.id] ?? Availability()) }
            var total = Availability()
            for (_, counts) in rows { total.add(counts) }
            result.append(ZoneAvailability(zone: zone, status: status, availability: total, segments: rows))
        }
        return result
    }
}

extension Registry {
    /// The known occupancy of each bay: from its latest report, while the reporting
    /// device is fresh (it sent that report, or anything since, recently).
    public func occupancy(zoneID: String? = nil, at now: Int64, freshness: Int64) async throws -> [String: Bool] {
        struct Row: Decodable { var bay_code: String; var occupied: Bool; var updated_ms: Int64; var last_seen_ms: Int64? }
        let filter: SQLQueryString = zoneID.map { " WHERE o.zone_id = \(bind: $0)" } ?? ""
        let rows = try await database.sql.raw("""
            SELECT o.bay_code, o.occupied, o.updated_ms, d.last_seen_ms FROM bay_occupancy o LEFT JOIN devices d ON d.device_id = o.device_id\(filter)
            """).all(decoding: Row.self)
        var known: [String: Bool] = [:]
        for row in rows where max(row.updated_ms, row.last_seen_ms ?? .min) >= now - freshness {
            known[row.bay_code] = row.occupied
        }
        return known
    }
}

extension Availability {
    mutating func count(isEV: Bool, occupied: Bool?) {
        total += 1
        if isEV { evTotal += 1 }
        switch occupied {
        case nil:
            unknown += 1
        case true?:
            self.occupied = (self.occupied ?? 0) + 1
            free = free ?? 0
            if isEV { evFree = evFree ?? 0 }
        case false?:
            self.occupied = self.occupied ?? 0
            free = (free ?? 0) + 1
            if isEV { evFree = (evFree ?? 0) + 1 }
        }
    }

    mutating func add(_ other: Availability) {
        total += other.total
        evTotal += other.evTotal
        unknown += other.unknown
        func sum(_ a: Int?, _ b: Int?) -> Int? { a == nil && b == nil ? nil : (a ?? 0) + (b ?? 0) }
        occupied = sum(occupied, other.occupied)
        free = sum(free, other.free)
        evFree = sum(evFree, other.evFree)
    }
}
