import CurbsideCore
import CurbsideStore
import Foundation

/// The Curb Data Specification 1.1 view: zones are CDS Curb Areas, road
/// segments (one side of a street between two cross streets, one tariff)
/// CDS Curb Zones, and bays CDS Curb Spaces.
extension APIHandler {
    func listCDSCurbAreas(_ input: Operations.ListCDSCurbAreas.Input) async throws -> Operations.ListCDSCurbAreas.Output {
        try CDSMediaType.require(CDSMediaType.json, in: input.headers.accept)
        let registry = try registry
        let zones = try await registry.zones().filter { $0.lifecycle == .active }
        let segments = Dictionary(grouping: try await registry.segments().filter { $0.lifecycle == .active }, by: \.spec.zoneID)
        let areas = zones.map { zone in
            Components.Schemas.CDSArea(
                curbAreaId: CDSIdentifier.area(zone.spec.id), geometry: .polygon(zone.spec.boundary), name: zone.spec.name,
                publishedDate: Self.millis(zone.createdAt), lastUpdatedDate: Self.millis(zone.updatedAt),
                curbZoneIds: (segments[zone.spec.id] ?? []).map { CDSIdentifier.zone($0.spec.id) }
            )
        }
        let envelope = cdsEnvelope(zones, updated: zones.map(\.updatedAt).max())
        return .ok(.init(body: .applicationVnd_cdsJsonVersion_1_1(.init(value1: envelope, value2: .init(data: .init(areas: areas))))))
    }

    func listCDSCurbZones(_ input: Operations.ListCDSCurbZones.Input) async throws -> Operations.ListCDSCurbZones.Output {
        try CDSMediaType.require(CDSMediaType.json, in: input.headers.accept)
        let registry = try registry
        let zones = try await registry.zones().filter { $0.lifecycle == .active }
        let segments = try await registry.segments().filter { $0.lifecycle == .active }
        let bays = try await activeBays()
        let occupancy = try await registry.occupancy(at: now, freshness: configuration.deviceOfflineAfter)
        let baysBySegment = Dictionary(grouping: bays, by: \.spec.segmentID)
        let cdsZones = segments.map { segment in
            let members = baysBySegment[segment.spec.id] ?? []
            let known = members.compactMap { occupancy[$0.spec.code.rawValue] }
            return Components.Schemas.CDSZone(
                curbZoneId: CDSIdentifier.zone(segment.spec.id), geometry: .lineString(segment.spec.path), curbPolicyIds: [],
                publishedDate: Self.millis(segment.createdAt), lastUpdatedDate: Self.millis(segment.updatedAt), startDate: Self.millis(segment.createdAt),
                name: segment.spec.address, userZoneId: segment.spec.id, streetName: segment.spec.roadName,
                crossStreetStartName: segment.spec.fromStreet, crossStreetEndName: segment.spec.toStreet, numSpaces: members.count,
                // Free bays are counted only where every bay's state is known.
                availableSpaces: known.count == members.count ? known.count { !$0 } : nil, availabilityTime: now,
                curbAreaIds: [CDSIdentifier.area(segment.spec.zoneID)]
            )
        }
        let envelope = cdsEnvelope(zones, updated: nil)
        return .ok(.init(body: .applicationVnd_cdsJsonVersion_1_1(.init(value1: envelope, value2: .init(data: .init(zones: cdsZones))))))
    }

    func listCDSCurbSpaces(_ input: Operations.ListCDSCurbSpaces.Input) async throws -> Operations.ListCDSCurbSpaces.Output {
        try CDSMediaType.require(CDSMediaType.json, in: input.headers.accept)
        let registry = try registry
        let zones = try await registry.zones().filter { $0.lifecycle == .active }
        let occupancy = try await registry.occupancy(at: now, freshness: configuration.deviceOfflineAfter)
        let spaces = try await activeBays().map { bay in
            let (length, width) = Self.size(bay.spec.kind)
            let occupied = occupancy[bay.spec.code.rawValue]
            return Components.Schemas.CDSSpace(
                curbSpaceId: CDSIdentifier.space(bay.spec.code.rawValue), geometry: .polygon(Self.footprint(bay.spec.position)), name: bay.spec.code.rawValue,
                publishedDate: Self.millis(bay.createdAt), lastUpdatedDate: Self.millis(bay.updatedAt), curbZoneId: CDSIdentifier.zone(bay.spec.segmentID),
                length: length, width: width, available: occupied.map { !$0 }, availabilityTime: occupied == nil ? nil : now
            )
        }
        let envelope = cdsEnvelope(zones, updated: nil)
        return .ok(.init(body: .applicationVnd_cdsJsonVersion_1_1(.init(value1: envelope, value2: .init(data: .init(spaces: spaces))))))
    }

    /// Every bay in service, in code order.
    func activeBays() async throws -> [BayRecord] {
        var bays: [BayRecord] = []
        var after: BayCode?
        repeat {
            let page = try await registry.bays(BayFilter(), after: after, limit: 1000)
            bays += page.filter { $0.lifecycle == .active }
            after = page.count == 1000 ? page.last?.spec.code : nil
        } while after != nil
        return bays
    }

    /// The fields every CDS response carries; `updated` is when the data last changed (now for live availability).
    func cdsEnvelope(_ zones: [ZoneRecord], updated: Date?) -> Components.Schemas.CDSEnvelope {
        .init(
            version: "1.1", timeZone: zones.first?.spec.timeZone ?? "Asia/Shanghai", lastUpdated: updated.map(Self.millis) ?? now, currency: "CNY",
            author: zones.first?.spec.operatorName
        )
    }

    /// Bay sizes by kind, in centimetres: a car bay is 6 m by 2.5 m, a disabled bay wider, a loading bay longer.
    static func size(_ kind: BayKind) -> (length: Int, width: Int) {
        switch kind {
        case .normal, .evCharging: (600, 250)
        case .disabled: (600, 350)
        case .loading: (1000, 300)
        }
    }

    /// A square of about 2.5 m around a bay's position, closed, for CDS's polygon geometry.
    static func footprint(_ point: GeoPoint) -> [GeoPoint] {
        let dLat = 0.0000112, dLon = 0.0000112 / cos(point.latitude * .pi / 180)
        let corners = [(-dLat, -dLon), (-dLat, dLon), (dLat, dLon), (dLat, -dLon), (-dLat, -dLon)]
        return corners.map { GeoPoint(latitude: point.latitude + $0.0, longitude: point.longitude + $0.1) }
    }
}

extension Components.Schemas.CDSPolygon {
    /// CDS 1.1 writes a polygon's coordinates as one list of longitude and latitude pairs.
    static func polygon(_ points: [GeoPoint]) -> Self {
        let closed = points.first == points.last ? points : points + points.prefix(1)
        return .init(_type: .polygon, coordinates: closed.map { [$0.longitude, $0.latitude] })
    }
}

extension Components.Schemas.CDSLineString {
    static func lineString(_ points: [GeoPoint]) -> Self {
        .init(_type: .lineString, coordinates: points.map { [$0.longitude, $0.latitude] })
    }
}
