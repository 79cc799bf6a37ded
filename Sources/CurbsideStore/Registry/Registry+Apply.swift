import CurbsideCore
import FluentKit
import Foundation
import SQLKit

extension Registry {
    /// Writes a plan and one change record per changed entity. Must run inside a transaction.
    static func apply(
        _ plan: RegistryPlan, by actor: Principal, source: ChangeSource, at now: Date, on database: any Database
    ) async throws {
        var records: [RegistryChangeModel] = []
        func note(_ entity: RegistryPlan.Entity, _ id: String, _ action: RegistryPlan.Action, _ fields: [FieldChange]) throws {
            records.append(try RegistryChangeModel(
                at: now, actor: actor, entity: entity, entityID: id, action: action.rawValue, fields: fields, reason: nil, source: source
            ))
        }

        for change in plan.zones {
            let model = try await ZoneModel.find(change.spec.id, on: database) ?? ZoneModel(new: now)
            model.apply(change.spec)
            model.lifecycle = change.lifecycle.rawValue
            try await model.saveRevision(at: now, on: database)
            try note(.zone, change.spec.id, change.action, change.fields)
        }

        var segmentPaths: [String: (zoneID: String, path: [GeoPoint])] = [:]
        for change in plan.segments {
            let model = try await RoadSegmentModel.find(change.spec.id, on: database) ?? RoadSegmentModel(new: now)
            let movedZone = model.id != nil && model.zoneID != change.spec.zoneID
            model.apply(change.spec)
            model.lifecycle = change.lifecycle.rawValue
            try await model.saveRevision(at: now, on: database)
            if movedZone {
                try await BayModel.query(on: database).filter(\.$segmentID == change.spec.id)
                    .set(\.$zoneID, to: change.spec.zoneID).update()
            }
            segmentPaths[change.spec.id] = (change.spec.zoneID, change.spec.path)
            try note(.segment, change.spec.id, change.action, change.fields)
        }

        var movedBays: [(code: String, from: String)] = []
        var cameraChanges: [(code: String, camera: Bool)] = []
        // Where each changed stored bay's stays count in the CDS aggregates: its segment while in service (a new bay has none).
        var countedUnder: [(code: String, from: String?, to: String?)] = []
        // A district's import creates hundreds of bays: read the stored ones at once and insert the new ones in batches.
        let stored = try await storedBays(plan.bays.map(\.spec.code.rawValue), on: database)
        var created: [BayModel] = []
        for change in plan.bays {
            let code = change.spec.code.rawValue
            let segmentID = change.spec.segmentID
            if segmentPaths[segmentID] == nil {
                guard let segment = try await RoadSegmentModel.find(segmentID, on: database) else {
                    throw RegistryError.notFound(.segment, segmentID)
                }
                segmentPaths[segmentID] = (segment.zoneID, try GeoJSONPositions.decode(segment.path))
            }
            let (zoneID, path) = segmentPaths[segmentID]!
            let chainage = GeoDistance.projection(of: change.spec.position, onto: path).chainage
            let existing = stored[code]
            if let existing {
                if existing.segmentID != segmentID { movedBays.append((code, existing.segmentID)) }
                if (existing.cameraID == nil) != (change.spec.cameraID == nil) { cameraChanges.append((code, change.spec.cameraID != nil)) }
                let countedBefore = existing.lifecycle == Lifecycle.active.rawValue ? existing.segmentID : nil
                countedUnder.append((code, countedBefore, change.lifecycle == .active ? segmentID : nil))
            }
            let model = existing ?? BayModel(new: now)
            model.apply(change.spec, zoneID: zoneID, chainage: chainage)
            model.lifecycle = change.lifecycle.rawValue
            if change.lifecycle == .retired { model.setSuspension(nil) }
            if existing == nil {
                model.revision += 1
                model.updatedAt = now
                created.append(model)
            } else {
                try await model.saveRevision(at: now, on: database)
            }
            try note(.bay, code, change.action, change.fields)
        }
        for batch in created.chunks(of: 500) {
            try await Array(batch).create(on: database)
        }
        for bay in movedBays {
            try await ReportRollups.moveBay(bay.code, from: bay.from, on: database.sql)
        }
        for bay in cameraChanges {
            try await StayRollups.moveBay(bay.code, camera: bay.camera, on: database.sql)
        }
        try await SegmentQuarters.moveBays(countedUnder, on: database.sql)

        try await save(records, on: database)
    }

    /// The stored bays among `codes`, by code.
    private static func storedBays(_ codes: [String], on database: any Database) async throws -> [String: BayModel] {
        var bays: [String: BayModel] = [:]
        for chunk in codes.chunks(of: 500) {
            for model in try await BayModel.query(on: database).filter(\.$id ~~ Array(chunk)).all() {
                if let code = model.id { bays[code] = model }
            }
        }
        return bays
    }

    /// Stores change records and queues each for the city platform, in the caller's transaction.
    static func save(_ records: [RegistryChangeModel], on database: any Database) async throws {
        // In batches: a statement has at most 32,766 (SQLite) or 65,535 (PostgreSQL) parameters.
        for batch in records.chunks(of: 500) { try await Array(batch).create(on: database) }
        try await FeedOutbox.add(try records.map { try $0.feedRecord }, on: database.sql)
    }
}

extension ZoneModel {
    convenience init(new now: Date) {
        self.init()
        revision = 0
        createdAt = now
    }
}

extension RoadSegmentModel {
    convenience init(new now: Date) {
        self.init()
        revision = 0
        createdAt = now
    }
}

extension BayModel {
    convenience init(new now: Date) {
        self.init()
        revision = 0
        createdAt = now
    }
}

/// Registry rows carry a revision that every write bumps, so an editor can
/// tell whether the record changed since it was read.
protocol Revisioned: Model {
    var revision: Int { get set }
    var updatedAt: Date { get set }
}

extension Revisioned {
    func saveRevision(at now: Date, on database: any Database) async throws {
        revision += 1
        updatedAt = now
        try await save(on: database)
    }
}

extension ZoneModel: Revisioned {}
extension RoadSegmentModel: Revisioned {}
extension BayModel: Revisioned {}

extension RegistryChangeModel {
    /// The change as the city platform's static-data record; its stream is the changed entity's id.
    var feedRecord: FeedRecord {
        get throws {
            let change = FeedRegistryChange(
                entity: entity, id: entityID, action: action, fields: try JSONDecoder().decode([FieldChange].self, from: Data(fields.utf8)), reason: reason
            )
            return FeedRecord(kind: .staticChange, bay: entityID, at: changedAt.milliseconds, change: change)
        }
    }

    convenience init(
        at: Date, actor: Principal, entity: RegistryPlan.Entity, entityID: String, action: String,
        fields: [FieldChange], reason: String?, source: ChangeSource
    ) throws {
        self.init()
        changedAt = at
        self.actor = actor.subject
        actorRole = actor.role.rawValue
        self.entity = entity.rawValue
        self.entityID = entityID
        self.action = action
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.fields = String(decoding: try encoder.encode(fields), as: UTF8.self)
        self.reason = reason
        self.source = source.rawValue
    }
}
