import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

extension RegistryHandler {
    func listAvailability(_ input: Operations.ListAvailability.Input) async throws -> Operations.ListAvailability.Output {
        let zones = try await registry.availability(at: clock(), freshness: configuration.ingest.deviceOfflineAfter, withSegments: false)
        return .ok(.init(body: .json(.init(zones: zones.map { Components.Schemas.ZoneAvailability($0, withSegments: false) }))))
    }

    func getZoneAvailability(_ input: Operations.GetZoneAvailability.Input) async throws -> Operations.GetZoneAvailability.Output {
        guard let zone = try await registry.availability(zoneID: input.path.zoneId, at: clock(), freshness: configuration.ingest.deviceOfflineAfter).first else {
            throw APIError.notFound(RegistryErrorCode.zoneNotFound, input.path.zoneId)
        }
        return .ok(.init(body: .json(.init(zone, withSegments: true))))
    }

    func lookupBay(_ input: Operations.LookupBay.Input) async throws -> Operations.LookupBay.Output {
        let registry = try registry
        let code = try await resolveBayCode(input.path.code, in: registry)
        guard let bay = try await registry.bay(code) else { throw APIError.notFound(RegistryErrorCode.bayNotFound, code.rawValue) }
        guard let zone = try await registry.zone(bay.zoneID), let segment = try await registry.segment(bay.spec.segmentID) else {
            throw APIError.notFound(RegistryErrorCode.bayNotFound, code.rawValue)
        }
        let occupied = try await registry.occupancy(bay: code.rawValue, at: now, freshness: configuration.ingest.deviceOfflineAfter)[code.rawValue]
        return .ok(.init(body: .json(.init(bay, zone: zone, segment: segment, occupied: occupied, city: configuration.city.code, at: clock()))))
    }

}

extension Components.Schemas.ZoneAvailability {
    init(_ zone: ZoneAvailability, withSegments: Bool) {
        self.init(
            zoneId: zone.zone.spec.id, name: zone.zone.spec.name, _class: .init(rawValue: zone.zone.spec.zoneClass.rawValue)!,
            status: .init(zone.status), counts: .init(zone.availability),
            segments: withSegments ? zone.segments.map { .init(segmentId: $0.segment.spec.id, address: $0.segment.spec.address, counts: .init($0.availability)) } : nil
        )
    }
}

extension Components.Schemas.Counts {
    init(_ availability: Availability) {
        self.init(
            total: availability.total, occupied: availability.occupied, free: availability.free,
            evTotal: availability.evTotal, evFree: availability.evFree, unknown: availability.unknown
        )
    }
}
