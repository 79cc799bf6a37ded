import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

extension Components.Schemas.Session {
    init(_ session: StoredSession, outage: Int64, now: Int64) {
        self.init(session.row, status: session.status, billedAt: session.billedAt, outage: outage, now: now)
    }

    init(_ row: SessionRow, status: SessionRow.Status, billedAt: Int64?, outage: Int64, now: Int64) {
        let flags = row.sessionFlags
        let needsPatrol = status != .void
            && (!flags.isDisjoint(with: [.outage, .plateContested, .plateUnrecognised]) || (row.end == nil && now - row.lastEvidence > outage))
        self.init(
            id: row.id, bay: row.bay, zoneId: row.zoneID, start: Date(milliseconds: row.start), end: row.end.map(Date.init(milliseconds:)),
            status: .init(rawValue: status.rawValue)!,
            plate: row.plate.map { .init(text: $0, colour: row.plateColour ?? "unknown", confidence: Double(row.plateConfidence ?? 0) / 1000, source: row.plateSource) },
            quality: .init(rawValue: row.quality)!, flags: flags.names.compactMap { .init(rawValue: $0) }, evidence: row.evidence,
            lastEvidence: Date(milliseconds: row.lastEvidence), needsPatrol: needsPatrol,
            billable: status == .closed && flags.isDisjoint(with: [.outage, .plateUnrecognised]), billedAt: billedAt.map(Date.init(milliseconds:))
        )
    }
}

extension Components.Schemas.SessionCorrection {
    init(_ correction: SessionCorrection, outage: Int64, now: Int64) {
        self.init(
            id: Int64(correction.id), sessionId: correction.sessionID, kind: .init(rawValue: correction.kind)!,
            before: correction.before.map { .init($0, status: $0.status, billedAt: nil, outage: outage, now: now) },
            after: correction.after.map { .init($0, status: $0.status, billedAt: nil, outage: outage, now: now) },
            reason: correction.reason, at: Date(milliseconds: correction.at)
        )
    }
}

extension Components.Schemas.Device {
    init(_ device: DeviceHealth) {
        self.init(
            deviceId: device.deviceID, kind: .init(rawValue: device.kind) ?? .sensor, gatewayId: device.gatewayID, bays: device.bays,
            firstSeen: Date(milliseconds: device.firstSeen), lastSeen: Date(milliseconds: device.lastSeen), battery: device.battery,
            rssi: device.rssi, temperature: device.temperatureDeci.map { Double($0) / 10 }, clockSkewMs: device.clockSkew,
            online: device.online, flaps24h: device.flaps24h, needsVisit: !device.reasons.isEmpty,
            reasons: device.reasons.compactMap { .init(rawValue: $0) }
        )
    }
}
