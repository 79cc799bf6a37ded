import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

extension Components.Schemas.Bay {
    init(_ record: BayRecord, zoneStatus: EffectiveStatus, city: DivisionCode, at now: Date) {
        let spec = record.spec
        self.init(
            code: spec.code.rawValue, fullCode: FullBayCode(division: city, code: spec.code).rawValue,
            zoneId: record.zoneID, segmentId: spec.segmentID, position: .init(spec.position),
            kind: .init(rawValue: spec.kind.name)!, charger: spec.kind.charger.map { .init(id: $0.id, powerKw: $0.powerKW) },
            sensorId: spec.sensorID, cameraId: spec.cameraID,
            status: .init(record.status(at: now).combined(with: zoneStatus)), lifecycle: .init(record.lifecycle),
            suspension: record.suspension.map(Components.Schemas.Suspension.init), chainageM: record.chainage ?? 0,
            revision: record.revision, createdAt: record.createdAt, updatedAt: record.updatedAt
        )
    }
}

extension Components.Schemas.BayInput {
    /// The spec for this input under `code` (from the path, the body, or allocation).
    func spec(code: BayCode) throws(APIError) -> BaySpec {
        let kindName = kind?.rawValue ?? "normal"
        guard let bayKind = BayKind(name: kindName, chargerID: charger?.id, powerKW: charger?.powerKw) else {
            throw kindName == "ev_charging"
                ? .invalid(RegistryErrorCode.chargerRequired, "An ev_charging bay needs a charger with an id and a positive power_kw.")
                : .invalid(RegistryErrorCode.chargerNotAllowed, "Only ev_charging bays have a charger.")
        }
        return BaySpec(
            code: code,
            segmentID: try InputValidation.identifier(segmentId, field: "segment_id"),
            position: try position.geoPoint(field: "position"),
            kind: bayKind,
            sensorID: try InputValidation.optionalIdentifier(sensorId, field: "sensor_id"),
            cameraID: try InputValidation.optionalIdentifier(cameraId, field: "camera_id")
        )
    }
}

extension Components.Schemas.PublicBay {
    init(_ record: BayRecord, zone: ZoneRecord, segment: RoadSegmentRecord, occupied: Bool?, city: DivisionCode, at now: Date) {
        let spec = record.spec
        self.init(
            code: spec.code.rawValue, fullCode: FullBayCode(division: city, code: spec.code).rawValue,
            address: segment.spec.address, zoneId: zone.spec.id, zoneName: zone.spec.name,
            zoneClass: .init(rawValue: zone.spec.zoneClass.rawValue)!, kind: .init(rawValue: spec.kind.name)!,
            charger: spec.kind.charger.map { .init(id: $0.id, powerKw: $0.powerKW) },
            status: .init(record.status(at: now).combined(with: zone.status(at: now))), position: .init(spec.position),
            tariffId: zone.spec.tariffID, serviceHours: zone.spec.serviceHours, servicePhone: zone.spec.servicePhone,
            occupancy: occupied.map { $0 ? .occupied : .free } ?? .unknown
        )
    }
}
