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

    public init() {}
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
    /// than `freshness` (a device gone quiet) count as unknown. The database
    /// counts (`counts`), so a city of 50,000 bays costs one grouped query;
    /// `withSegments` false leaves each zone's segment rows out.
    public func availability(
        zoneID: String? = nil, at now: Date = Date(), freshness: Int64 = 15 * Milliseconds.minute, withSegments: Bool = true
    ) async throws -> [ZoneAvailability] {
        let counts = try await counts(zoneID: zoneID, at: now, freshness: freshness)
        let zones: [ZoneRecord]
        if let zoneID {
            zones = try await zone(zoneID).map { [$0] } ?? []
        } else {
            zones = try await self.zones()
        }
        var result: [ZoneAvailability] = []
        for zone in zones {
            let status = zone.status(at: now)
            let perSegment = status == .active ? counts[zone.spec.id] ?? [:] : [:]
            var total = Availability()
            for counts in perSegment.values { total.add(counts) }
            let rows = withSegments
                ? try await segments(zoneID: zone.spec.id).filter { $0.lifecycle == .active }.map { ($0, perSegment[$0.spec.id] ?? Availability()) }
                : []
            result.append(ZoneAvailability(zone: zone, status: status, availability: total, segments: rows))
        }
        return result
    }

    /// Open bays of active segments per zone and segment, grouped by the database
    /// on what decides a bay's count (EV or not, known occupied or free, its
    /// suspension); suspensions are few, so each group is checked here.
    func counts(zoneID: String?, at now: Date, freshness: Int64) async throws -> [String: [String: Availability]] {
        struct Row: Decodable {
            var zone_id: String
            var segment_id: String
            var ev: Int
            var suspended_from: Date?
            var suspended_until: Date?
            var bays: Int
            var occupied: Int
            var free: Int
        }
        let cutoff = now.milliseconds - freshness
        let known: SQLQueryString = "(o.updated_ms >= \(bind: cutoff) OR d.last_seen_ms >= \(bind: cutoff))"
        let zone: SQLQueryString = zoneID.map { " AND b.zone_id = \(bind: $0)" } ?? ""
        let rows = try await database.sql.raw("""
            SELECT b.zone_id, b.segment_id, CASE WHEN b.kind = 'ev_charging' THEN 1 ELSE 0 END AS ev, b.suspended_from, b.suspended_until,
                   COUNT(*) AS bays, SUM(CASE WHEN \(known) AND o.occupied THEN 1 ELSE 0 END) AS occupied,
                   SUM(CASE WHEN \(known) AND NOT o.occupied THEN 1 ELSE 0 END) AS free
            FROM bays b JOIN road_segments g ON g.id = b.segment_id AND g.lifecycle = 'active'
            LEFT JOIN bay_occupancy o ON o.bay_code = b.code LEFT JOIN devices d ON d.device_id = o.device_id
            WHERE b.lifecycle = 'active'\(zone)
            GROUP BY b.zone_id, b.segment_id, CASE WHEN b.kind = 'ev_charging' THEN 1 ELSE 0 END, b.suspended_from, b.suspended_until
            """).all(decoding: Row.self)
        var counts: [String: [String: Availability]] = [:]
        for row in rows {
            let suspension = row.suspended_from.map { Suspension(reason: "", from: $0, until: row.suspended_until) }
            guard EffectiveStatus.at(now, lifecycle: .active, suspension: suspension) == .active else { continue }
            counts[row.zone_id, default: [:]][row.segment_id, default: Availability()].add(
                Availability(bays: row.bays, ev: row.ev == 1, occupied: row.occupied, free: row.free)
            )
        }
        return counts
    }
}

extension Registry {
    /// The known occupancy of each bay: from its latest report, while the reporting
    /// device is fresh (it sent that report, or anything since, recently).
    /// `bay` narrows it to one bay.
    public func occupancy(bay: String? = nil, at now: Int64, freshness: Int64) async throws -> [String: Bool] {
        struct Row: Decodable { var bay_code: String; var occupied: Bool; var updated_ms: Int64; var last_seen_ms: Int64? }
        let filter: SQLQueryString = bay.map { " WHERE o.bay_code = \(bind: $0)" } ?? ""
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
    /// `bays` alike in being EV or not, of which `occupied` are known occupied and `free` known free.
    init(bays: Int, ev: Bool, occupied: Int, free: Int) {
        let known = occupied + free > 0
        total = bays
        evTotal = ev ? bays : 0
        self.occupied = known ? occupied : nil
        self.free = known ? free : nil
        evFree = ev && known ? free : nil
        unknown = bays - occupied - free
    }

    public mutating func add(_ other: Availability) {
        total += other.total
        evTotal += other.evTotal
        unknown += other.unknown
        func sum(_ a: Int?, _ b: Int?) -> Int? { a == nil && b == nil ? nil : (a ?? 0) + (b ?? 0) }
        occupied = sum(occupied, other.occupied)
        free = sum(free, other.free)
        evFree = sum(evFree, other.evFree)
    }
}
