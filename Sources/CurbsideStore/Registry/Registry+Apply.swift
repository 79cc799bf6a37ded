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
        // Where each changed bay's stays count in the CDS aggregates: its segment while in service.
        var countedUnder: [(code: String, from: String?, to: String?)] = []
        for change in plan.bays {
            let segmentID = change.spec.segmentID
            if segmentPaths[segmentID] == nil {
                guard let segment = try await RoadSegmentModel.find(segmentID, on: database) else {
                    throw RegistryError.notFound(.segment, segmentID)
                }
                segmentPaths[segmentID] = (segment.zoneID, try GeoJSONPositions.decode(segment.path))
            }
            let (zoneID, path) = segmentPaths[segmentID]!
            let chainage = GeoDistance.projection(of: change.spec.position, onto: path).chainage
            let model = try await BayModel.find(change.spec.code.rawValue, on: database) ?? BayModel(new: now)
            if model.id != nil, model.segmentID != segmentID { movedBays.append((change.spec.code.rawValue, model.segmentID)) }
            if model.id != nil, (model.cameraID == nil) != (change.spec.cameraID == nil) {
                cameraChanges.append((change.spec.code.rawValue, change.spec.cameraID != nil))
            }
            let countedBefore = model.id != nil && model.lifecycle == Lifecycle.active.rawValue ? model.segmentID : nil
            model.apply(change.spec, zoneID: zoneID, chainage: chainage)
            model.lifecycle = change.lifecycle.rawValue
            countedUnder.append((change.spec.code.rawValue, countedBefore, change.lifecycle == .active ? segmentID : nil))
            if change.lifecycle == .retired { model.setSuspension(nil) }
            try await model.saveRevision(at: now, on: database)
            try note(.bay, change.spec.code.rawValue, change.action, change.fields)
        }
        for bay in movedBays {
            try await ReportRollups.moveBay(bay.code, from: bay.from, on: database.sql)
        }
        for bay in cameraChanges {
            try await StayRollups.moveBay(bay.code, camera: bay.camera, on: database.sql)
        }
        for bay in countedUnder {
            try await SegmentQuarters.moveBay(bay.code, from: bay.from, to: bay.to, on: database.sql)
        }

        try await save(records, on: database)
    }

    /// Stores change records and queues each for the city platform, in the caller's transaction.
    static func save(_ records: [RegistryChangeModel], on database: any Database) async throws {
        try await records.create(on: database)
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
