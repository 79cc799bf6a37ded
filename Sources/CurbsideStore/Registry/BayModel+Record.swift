import CurbsideCore
import Foundation

extension BayModel {
    func record() throws -> BayRecord {
        try BayRecord(
            code: id ?? "?", segmentID: segmentID, zoneID: zoneID, position: GeoPoint(latitude: latitude, longitude: longitude), chainage: chainage,
            kind: kind, charger: (chargerID, chargerKW), devices: (sensorID, cameraID), lifecycle: lifecycle, suspension: suspension,
            revision: revision, created: createdAt, updated: updatedAt
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
