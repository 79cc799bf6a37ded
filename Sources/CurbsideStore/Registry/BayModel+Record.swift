import CurbsideCore
import Foundation

extension BayModel {
    func record() throws -> BayRecord {
        guard let id, let code = try? BayCode(parsing: id),
              let kind = BayKind(name: kind, chargerID: chargerID, powerKW: chargerKW),
              let lifecycle = Lifecycle(rawValue: lifecycle)
        else { throw StoreCorruption(what: "bay \(id ?? "?")") }
        let spec = BaySpec(
            code: code, segmentID: segmentID, position: GeoPoint(latitude: latitude, longitude: longitude),
            kind: kind, sensorID: sensorID, cameraID: cameraID
        )
        return BayRecord(
            spec: spec, zoneID: zoneID, lifecycle: lifecycle, suspension: suspension, revision: revision,
            createdAt: createdAt, updatedAt: updatedAt, chainage: chainage
        )
    }

    var suspension: Suspension? {
        guard let suspensionReason, let suspendedFrom else { return nil }
        return Suspension(reason: suspensionReason, from: suspendedFrom, until: suspendedUntil)
    }

    func apply(_ spec: BaySpec, zoneID: String, chainage: Double) {
        id = spec.code.rawValue
        segmentID = spec.segmentID
        self.zoneID = zoneID
        longitude = spec.position.longitude
        latitude = spec.position.latitude
        self.chainage = (chainage * 100).rounded() / 100
        kind = spec.kind.name
        chargerID = spec.kind.charger?.id
        chargerKW = spec.kind.charger?.powerKW
        sensorID = spec.sensorID
        cameraID = spec.cameraID
    }

    func setSuspension(_ suspension: Suspension?) {
        suspensionReason = suspension?.reason
        suspendedFrom = suspension?.from
        suspendedUntil = suspension?.until
    }
}
