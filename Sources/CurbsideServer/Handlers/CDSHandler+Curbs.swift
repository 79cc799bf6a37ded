import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

/// The Curb Data Specification 1.1 Curbs API: zones are CDS Curb Areas, road
/// segments (one side of a street between two cross streets, one tariff)
/// CDS Curb Zones, and bays CDS Curb Spaces. Curb Objects and Policies are
/// optional in CDS and answered 501.
extension CDSHandler {
    func listCDSCurbAreas(_ input: Operations.ListCDSCurbAreas.Input) async throws -> Operations.ListCDSCurbAreas.Output {
        try CDSMediaType.require(CDSMediaType.json, in: input.headers.accept)
        let location = try CDSLocationFilter.parse(input.query)
        let (zones, areas) = try await cdsAreas()
        let envelope = cdsEnvelope(zones, updated: zones.map(\.updatedAt).max())
        let data = Components.Schemas.CDSAreasResponse.Value2Payload.DataPayload(areas: CDSLocated.filter(areas, by: location))
        return .ok(.init(body: .applicationVnd_cdsJsonVersion_1_1(.init(value1: envelope, value2: .init(data: data)))))
    }

    func getCDSCurbArea(_ input: Operations.GetCDSCurbArea.Input) async throws -> Operations.GetCDSCurbArea.Output {
        try CDSMediaType.require(CDSMediaType.json, in: input.headers.accept)
        let (zones, areas) = try await cdsAreas()
        guard let area = areas.first(where: { $0.object.curbAreaId == input.path.id.lowercased() })?.object else {
            throw APIError.notFound(CDSErrorCode.curbAreaNotFound, input.path.id)
        }
        let envelope = cdsEnvelope(zones, updated: zones.map(\.updatedAt).max())
        return .ok(.init(body: .applicationVnd_cdsJsonVersion_1_1(.init(value1: envelope, value2: .init(data: area)))))
    }

    func listCDSCurbZones(_ input: Operations.ListCDSCurbZones.Input) async throws -> Operations.ListCDSCurbZones.Output {
        try CDSMediaType.require(CDSMediaType.json, in: input.headers.accept)
        let location = try CDSLocationFilter.parse(input.query)
        let (zones, curbZones) = try await cdsZones()
        let inArea = input.query.area.map { area in curbZones.filter { $0.object.curbAreaIds.contains(area.lowercased()) } } ?? curbZones
        let data = Components.Schemas.CDSZonesResponse.Value2Payload.DataPayload(zones: CDSLocated.filter(inArea, by: location))
        return .ok(.init(body: .applicationVnd_cdsJsonVersion_1_1(.init(value1: cdsEnvelope(zones, updated: nil), value2: .init(data: data)))))
    }

    func getCDSCurbZone(_ input: Operations.GetCDSCurbZone.Input) async throws -> Operations.GetCDSCurbZone.Output {
        try CDSMediaType.require(CDSMediaType.json, in: input.headers.accept)
        let (zones, curbZones) = try await cdsZones()
        guard let zone = curbZones.first(where: { $0.object.curbZoneId == input.path.id.lowercased() })?.object else {
            throw APIError.notFound(CDSErrorCode.curbZoneNotFound, input.path.id)
        }
        return .ok(.init(body: .applicationVnd_cdsJsonVersion_1_1(.init(value1: cdsEnvelope(zones, updated: nil), value2: .init(data: zone)))))
    }

    func listCDSCurbSpaces(_ input: Operations.ListCDSCurbSpaces.Input) async throws -> Operations.ListCDSCurbSpaces.Output {
        try CDSMediaType.require(CDSMediaType.json, in: input.headers.accept)
        let location = try CDSLocationFilter.parse(input.query)
        let (zones, spaces) = try await cdsSpaces()
        let inZone = input.query.zone.map { zone in spaces.filter { $0.object.curbZoneId == zone.lowercased() } } ?? spaces
        let data = Components.Schemas.CDSSpacesResponse.Value2Payload.DataPayload(spaces: CDSLocated.filter(inZone, by: location))
        return .ok(.init(body: .applicationVnd_cdsJsonVersion_1_1(.init(value1: cdsEnvelope(zones, updated: nil), value2: .init(data: data)))))
    }

    func getCDSCurbSpace(_ input: Operations.GetCDSCurbSpace.Input) async throws -> Operations.GetCDSCurbSpace.Output {
        try CDSMediaType.require(CDSMediaType.json, in: input.headers.accept)
        let (zones, spaces) = try await cdsSpaces()
        guard let space = spaces.first(where: { $0.object.curbSpaceId == input.path.id.lowercased() })?.object else {
            throw APIError.notFound(CDSErrorCode.curbSpaceNotFound, input.path.id)
        }
        return .ok(.init(body: .applicationVnd_cdsJsonVersion_1_1(.init(value1: cdsEnvelope(zones, updated: nil), value2: .init(data: space)))))
    }

    func listCDSCurbObjects(_ input: Operations.ListCDSCurbObjects.Input) async throws -> Operations.ListCDSCurbObjects.Output {
        throw Self.cdsNotImplemented("Curb Objects")
    }

    func getCDSCurbObject(_ input: Operations.GetCDSCurbObject.Input) async throws -> Operations.GetCDSCurbObject.Output {
        throw Self.cdsNotImplemented("Curb Objects")
    }

    func listCDSCurbPolicies(_ input: Operations.ListCDSCurbPolicies.Input) async throws -> Operations.ListCDSCurbPolicies.Output {
        throw Self.cdsNotImplemented("Curb Policies")
    }

    func getCDSCurbPolicy(_ input: Operations.GetCDSCurbPolicy.Input) async throws -> Operations.GetCDSCurbPolicy.Output {
        throw Self.cdsNotImplemented("Curb Policies")
    }

    static func cdsNotImplemented(_ what: String) -> APIError {
        APIError(.notImplemented, RequestErrorCode.notImplemented, "Curbside does not publish CDS \(what); tariffs are at /v1/zones/{id}/tariff.")
    }

    /// Zones in service as Curb Areas, located by their boundaries and bays.
    func cdsAreas() async throws -> ([ZoneRecord], [CDSLocated<Components.Schemas.CDSArea>]) {
        let zones = try await registry.zones().filter { $0.lifecycle == .active }
        let segments = Dictionary(grouping: try await registry.segments().filter { $0.lifecycle == .active }, by: \.spec.zoneID)
        let bays = Dictionary(grouping: try await registry.activeBays(), by: \.zoneID)
        let areas = zones.map { zone in
            CDSLocated(
                object: Components.Schemas.CDSArea(
                    curbAreaId: CDSIdentifier.area(zone.spec.id), geometry: .polygon(zone.spec.boundary), name: zone.spec.name,
                    publishedDate: zone.createdAt.milliseconds, lastUpdatedDate: zone.updatedAt.milliseconds,
                    curbZoneIds: (segments[zone.spec.id] ?? []).map { CDSIdentifier.zone($0.spec.id) }
                ),
                points: zone.spec.boundary + (bays[zone.spec.id] ?? []).map(\.spec.position)
            )
        }
        return (zones, areas)
    }

    /// Road segments in service as Curb Zones with live availability, located by their paths and bays.
    func cdsZones() async throws -> ([ZoneRecord], [CDSLocated<Components.Schemas.CDSZone>]) {
        let registry = try registry
        let zones = try await registry.zones().filter { $0.lifecycle == .active }
        let segments = try await registry.segments().filter { $0.lifecycle == .active }
        let occupancy = try await registry.occupancy(at: now, freshness: configuration.ingest.deviceOfflineAfter)
        let baysBySegment = Dictionary(grouping: try await registry.activeBays(), by: \.spec.segmentID)
        let curbZones = segments.map { segment in
            let members = baysBySegment[segment.spec.id] ?? []
            let known = members.compactMap { occupancy[$0.spec.code.rawValue] }
            return CDSLocated(
                object: Components.Schemas.CDSZone(
                    curbZoneId: CDSIdentifier.zone(segment.spec.id), geometry: .lineString(segment.spec.path), curbPolicyIds: [],
                    publishedDate: segment.createdAt.milliseconds, lastUpdatedDate: segment.updatedAt.milliseconds, startDate: segment.createdAt.milliseconds,
                    name: segment.spec.address, userZoneId: segment.spec.id, streetName: segment.spec.roadName,
                    crossStreetStartName: segment.spec.fromStreet, crossStreetEndName: segment.spec.toStreet, numSpaces: members.count,
                    // Free bays are counted only where every bay's state is known.
                    availableSpaces: known.count == members.count ? known.count { !$0 } : nil, availabilityTime: now,
                    curbAreaIds: [CDSIdentifier.area(segment.spec.zoneID)]
                ),
                points: segment.spec.path + members.map(\.spec.position)
            )
        }
        return (zones, curbZones)
    }

    /// Bays in service as Curb Spaces with live availability.
    func cdsSpaces() async throws -> ([ZoneRecord], [CDSLocated<Components.Schemas.CDSSpace>]) {
        let registry = try registry
        let zones = try await registry.zones().filter { $0.lifecycle == .active }
        let occupancy = try await registry.occupancy(at: now, freshness: configuration.ingest.deviceOfflineAfter)
        let spaces = try await registry.activeBays().map { bay in
            let (length, width) = CDSGeometry.size(bay.spec.kind)
            let occupied = occupancy[bay.spec.code.rawValue]
            return CDSLocated(
                object: Components.Schemas.CDSSpace(
                    curbSpaceId: CDSIdentifier.space(bay.spec.code.rawValue), geometry: .polygon(CDSGeometry.footprint(bay.spec.position)),
                    name: bay.spec.code.rawValue, publishedDate: bay.createdAt.milliseconds, lastUpdatedDate: bay.updatedAt.milliseconds,
                    curbZoneId: CDSIdentifier.zone(bay.spec.segmentID), length: length, width: width,
                    available: occupied.map { !$0 }, availabilityTime: occupied == nil ? nil : now
                ),
                points: [bay.spec.position]
            )
        }
        return (zones, spaces)
    }

    /// The fields every CDS response carries; `updated` is when the data last changed (now for live availability).
    func cdsEnvelope(_ zones: [ZoneRecord], updated: Date?) -> Components.Schemas.CDSEnvelope {
        .init(
            version: "1.1", timeZone: zones.first?.spec.timeZone ?? configuration.city.timeZone.identifier, lastUpdated: updated.map(\.milliseconds) ?? now, currency: "CNY",
            author: zones.first?.spec.operatorName
        )
    }
}
