import CurbsideCore
import Foundation

extension ZoneModel {
    func record() throws -> ZoneRecord {
        guard let id, let zoneClass = ZoneClass(rawValue: zoneClass), let district = DivisionCode(districtCode),
              let lifecycle = Lifecycle(rawValue: lifecycle)
        else { throw StoreCorruption(what: "zone \(id ?? "?")") }
        let spec = ZoneSpec(
            id: id, name: name, zoneClass: zoneClass, district: district, districtName: districtName,
            tariffID: tariffID, timeZone: timeZone, operatorName: operatorName, servicePhone: servicePhone,
            serviceHours: serviceHours, boundary: try GeoJSONPositions.decode(boundary)
        )
        return ZoneRecord(
            spec: spec, zoneID: id, lifecycle: lifecycle, suspension: suspension, revision: revision,
            createdAt: createdAt, updatedAt: updatedAt
        )
    }

    var suspension: Suspension? {
        guard let suspensionReason, let suspendedFrom else { return nil }
        return Suspension(reason: suspensionReason, from: suspendedFrom, until: suspendedUntil)
    }

    func apply(_ spec: ZoneSpec) {
        id = spec.id
        name = spec.name
        zoneClass = spec.zoneClass.rawValue
        districtCode = spec.district.rawValue
        districtName = spec.districtName
        tariffID = spec.tariffID
        timeZone = spec.timeZone
        operatorName = spec.operatorName
        servicePhone = spec.servicePhone
        serviceHours = spec.serviceHours
        boundary = GeoJSONPositions.encode(spec.boundary)
    }

    func setSuspension(_ suspension: Suspension?) {
        suspensionReason = suspension?.reason
        suspendedFrom = suspension?.from
        suspendedUntil = suspension?.until
    }
}
