import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

extension Components.Schemas.Zone {
    init(_ record: ZoneRecord, at now: Date) {
        let spec = record.spec
        self.init(
            id: spec.id, name: spec.name, _class: .init(spec.zoneClass), district: spec.district.rawValue,
            districtName: spec.districtName, tariffId: spec.tariffID, timeZone: spec.timeZone,
            _operator: spec.operatorName, servicePhone: spec.servicePhone, serviceHours: spec.serviceHours,
            boundary: PathMapping.api(spec.boundary), status: .init(record.status(at: now)),
            lifecycle: .init(record.lifecycle), suspension: record.suspension.map(Components.Schemas.Suspension.init),
            revision: record.revision, createdAt: record.createdAt, updatedAt: record.updatedAt
        )
    }
}

extension Components.Schemas.ZoneInput {
    /// The spec this input describes; `id` comes from the path on update.
    func spec(id pathID: String?, cityTimeZone: String) throws(APIError) -> ZoneSpec {
        if let pathID { try InputValidation.matching(id, path: pathID, field: "id") }
        guard let rawID = pathID ?? id else { throw .invalid(RequestErrorCode.missingField, "id is required to create a zone.") }
        let zoneID = try InputValidation.identifier(rawID, field: "id")
        guard let division = DivisionCode(district) else {
            throw .invalid(RegistryErrorCode.invalidDistrict, "district '\(district)' is not a 6-digit GB/T 2260 division code.")
        }
        let zone = timeZone ?? cityTimeZone
        guard TimeZone(identifier: zone) != nil else { throw .invalid(RegistryErrorCode.invalidTimeZone, "time_zone '\(zone)' is not an IANA time zone.") }
        return ZoneSpec(
            id: zoneID,
            name: try InputValidation.text(name, field: "name"),
            zoneClass: ZoneClass(rawValue: _class.rawValue)!,
            district: division,
            districtName: try InputValidation.text(districtName, field: "district_name"),
            tariffID: try InputValidation.identifier(tariffId, field: "tariff_id"),
            timeZone: zone,
            operatorName: try InputValidation.text(_operator, field: "operator"),
            servicePhone: try InputValidation.text(servicePhone, field: "service_phone", maxLength: 40),
            serviceHours: try InputValidation.optionalText(serviceHours, field: "service_hours") ?? "00:00-24:00",
            boundary: try boundary.map { path throws(APIError) in try PathMapping.points(path, field: "boundary") } ?? []
        )
    }
}

extension Components.Schemas.Zone.ClassPayload {
    init(_ zoneClass: ZoneClass) {
        self.init(rawValue: zoneClass.rawValue)!
    }
}

extension Components.Schemas.Status {
    init(_ status: EffectiveStatus) {
        self.init(rawValue: status.rawValue)!
    }
}

extension Components.Schemas.Lifecycle {
    init(_ lifecycle: Lifecycle) {
        self.init(rawValue: lifecycle.rawValue)!
    }
}

extension Components.Schemas.Suspension {
    init(_ suspension: Suspension) {
        self.init(reason: suspension.reason, from: suspension.from, until: suspension.until)
    }
}

extension Components.Schemas.SuspendRequest {
    func suspension(now: Date) throws(APIError) -> Suspension {
        Suspension(reason: try InputValidation.text(reason, field: "reason", maxLength: 200), from: from ?? now, until: until)
    }
}
