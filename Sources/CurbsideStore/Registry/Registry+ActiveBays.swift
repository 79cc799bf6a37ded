import CurbsideCore
import Foundation
import SQLKit

extension Registry {
    /// Every bay in service or suspended (not retired), in code order: what the
    /// CDS feeds read on each request. One query read column by column, not
    /// through Fluent's models, whose per-row cost dominated a city-wide read.
    public func activeBays() async throws -> [BayRecord] {
        try await database.sql.raw("""
            SELECT code, segment_id, zone_id, longitude, latitude, chainage, kind, charger_id, charger_kw, sensor_id, camera_id, lifecycle,
                   suspension_reason, suspended_from, suspended_until, revision, created_at, updated_at
            FROM bays WHERE lifecycle = 'active' ORDER BY code
            """).all().map { row in
            func optional<T: Decodable>(_ column: String, _ type: T.Type) throws -> T? {
                try row.decodeNil(column: column) ? nil : row.decode(column: column, as: T.self)
            }
            let reason = try optional("suspension_reason", String.self), from = try optional("suspended_from", Date.self)
            let until = try optional("suspended_until", Date.self)
            return try BayRecord(
                code: row.decode(column: "code", as: String.self), segmentID: row.decode(column: "segment_id", as: String.self),
                zoneID: row.decode(column: "zone_id", as: String.self),
                position: GeoPoint(latitude: row.decode(column: "latitude", as: Double.self), longitude: row.decode(column: "longitude", as: Double.self)),
                chainage: row.decode(column: "chainage", as: Double.self), kind: row.decode(column: "kind", as: String.self),
                charger: (optional("charger_id", String.self), optional("charger_kw", Double.self)),
                devices: (optional("sensor_id", String.self), optional("camera_id", String.self)), lifecycle: row.decode(column: "lifecycle", as: String.self),
                suspension: reason.flatMap { reason in from.map { Suspension(reason: reason, from: $0, until: until) } },
                revision: row.decode(column: "revision", as: Int.self),
                created: row.decode(column: "created_at", as: Date.self), updated: row.decode(column: "updated_at", as: Date.self)
            )
        }
    }
}

extension BayRecord {
    /// A bay as stored; a row the domain cannot read is corruption.
    init(
        code: String, segmentID: String, zoneID: String, position: GeoPoint, chainage: Double, kind: String, charger: (id: String?, kw: Double?),
        devices: (sensor: String?, camera: String?), lifecycle: String, suspension: Suspension?, revision: Int, created: Date, updated: Date
    ) throws {
        guard let bay = try? BayCode(parsing: code), let kind = BayKind(name: kind, chargerID: charger.id, powerKW: charger.kw),
              let lifecycle = Lifecycle(rawValue: lifecycle)
        else { throw StoreCorruption(what: "bay \(code)") }
        let spec = BaySpec(code: bay, segmentID: segmentID, position: position, kind: kind, sensorID: devices.sensor, cameraID: devices.camera)
        self.init(spec: spec, zoneID: zoneID, lifecycle: lifecycle, suspension: suspension, revision: revision, createdAt: created, updatedAt: updated, chainage: chainage)
    }
}
