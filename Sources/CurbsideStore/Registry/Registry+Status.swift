import CurbsideCore
import FluentKit
import Foundation

extension Registry {
    /// Closes a zone or bay for a while (roadworks, a market day). Bays in a
    /// suspended zone count as suspended without being touched themselves.
    public func suspend(
        _ entity: RegistryPlan.Entity, id: String, _ suspension: Suspension, by actor: Principal, at now: Date = Date()
    ) async throws {
        let reason = suspension.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw RegistryError.invalid("A suspension needs a reason.") }
        if let until = suspension.until, until <= suspension.from {
            throw RegistryError.invalid("A suspension must end after it starts.")
        }
        if let until = suspension.until, until <= now {
            throw RegistryError.invalid("A suspension that has already ended changes nothing.")
        }
        let normalised = Suspension(reason: reason, from: suspension.from, until: suspension.until)
        try await changeStatus(entity, id: id, action: "suspended", reason: reason, by: actor, at: now) { model in
            let before = model.suspension
            model.setSuspension(normalised)
            return [FieldChange(field: "suspension", from: before.map(Self.describe), to: Self.describe(normalised))]
        }
    }

    /// Ends a suspension early.
    public func reinstate(_ entity: RegistryPlan.Entity, id: String, by actor: Principal, at now: Date = Date()) async throws {
        try await changeStatus(entity, id: id, action: "reinstated", reason: nil, by: actor, at: now) { model in
            guard let before = model.suspension else { return [] }
            model.setSuspension(nil)
            return [FieldChange(field: "suspension", from: Self.describe(before), to: nil)]
        }
    }

    /// Takes a zone, segment or bay out of service for good, with everything in it.
    public func retire(_ entity: RegistryPlan.Entity, id: String, reason: String, by actor: Principal, at now: Date = Date()) async throws {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw RegistryError.invalid("Retiring needs a reason.") }
        try await store.write(on: database) { db in
            var records: [RegistryChangeModel] = []
            var retiredBays: [(code: String, segment: String)] = []
            func note(_ entity: RegistryPlan.Entity, _ id: String) throws {
                records.append(try RegistryChangeModel(
                    at: now, actor: actor, entity: entity, entityID: id, action: "retired",
                    fields: [FieldChange(field: "status", from: "active", to: "retired")], reason: reason, source: .api
                ))
            }
            func retire<M: Revisioned & LifecycleCarrier>(_ model: M, _ entity: RegistryPlan.Entity) async throws {
                guard model.lifecycle == Lifecycle.active.rawValue else { return }
                model.lifecycle = Lifecycle.retired.rawValue
                model.clearSuspension()
                try await model.saveRevision(at: now, on: db)
                try note(entity, model.entityID)
            }
            // A zone may hold thousands of bays: they are retired a few hundred to a statement.
            func retire(bays: [BayModel]) async throws {
                let bays = bays.filter { $0.lifecycle == Lifecycle.active.rawValue }
                for chunk in bays.chunks(of: 500) {
                    try await db.sql.raw("""
                        UPDATE bays SET lifecycle = \(bind: Lifecycle.retired.rawValue), suspension_reason = NULL, suspended_from = NULL,
                            suspended_until = NULL, revision = revision + 1, updated_at = \(bind: now)
                        WHERE code IN (\(binds: chunk.map(\.entityID)))
                        """).run()
                }
                for bay in bays {
                    retiredBays.append((bay.entityID, bay.segmentID))
                    try note(.bay, bay.entityID)
                }
            }
            switch entity {
            case .zone:
                guard let zone = try await ZoneModel.find(id, on: db) else { throw RegistryError.notFound(.zone, id) }
                guard zone.lifecycle == Lifecycle.active.rawValue else { throw RegistryError.retired(.zone, id) }
                try await retire(zone, .zone)
                for segment in try await RoadSegmentModel.query(on: db).filter(\.$zoneID == id).all() { try await retire(segment, .segment) }
                try await retire(bays: BayModel.query(on: db).filter(\.$zoneID == id).all())
            case .segment:
                guard let segment = try await RoadSegmentModel.find(id, on: db) else { throw RegistryError.notFound(.segment, id) }
                guard segment.lifecycle == Lifecycle.active.rawValue else { throw RegistryError.retired(.segment, id) }
                try await retire(segment, .segment)
                try await retire(bays: BayModel.query(on: db).filter(\.$segmentID == id).all())
            case .bay:
                guard let bay = try await BayModel.find(id, on: db) else { throw RegistryError.notFound(.bay, id) }
                guard bay.lifecycle == Lifecycle.active.rawValue else { throw RegistryError.retired(.bay, id) }
                try await retire(bays: [bay])
            }
            // A bay out of service no longer counts in the CDS aggregates, nor do its stays.
            try await SegmentQuarters.moveBays(retiredBays.map { ($0.code, $0.segment, nil) }, on: db.sql)
            try await Self.save(records, on: db)
        }
    }

    private func changeStatus(
        _ entity: RegistryPlan.Entity, id: String, action: String, reason: String?, by actor: Principal, at now: Date,
        _ change: @escaping @Sendable (any SuspendableModel) -> [FieldChange]
    ) async throws {
        try await store.write(on: database) { db in
            let model: (any SuspendableModel)? = switch entity {
            case .zone: try await ZoneModel.find(id, on: db)
            case .bay: try await BayModel.find(id, on: db)
            case .segment: throw RegistryError.invalid("Road segments are not suspended; suspend their bays or their zone.")
            }
            guard let model else { throw RegistryError.notFound(entity, id) }
            guard model.lifecycle == Lifecycle.active.rawValue else { throw RegistryError.retired(entity, id) }
            let fields = change(model)
            guard !fields.isEmpty else { return }
            try await model.saveRevision(at: now, on: db)
            try await Self.save([RegistryChangeModel(
                at: now, actor: actor, entity: entity, entityID: id, action: action, fields: fields, reason: reason, source: .api
            )], on: db)
        }
    }

    static func describe(_ suspension: Suspension) -> String {
        let format = Date.ISO8601FormatStyle()
        return "\(suspension.reason) from \(suspension.from.formatted(format))" + (suspension.until.map { " until \($0.formatted(format))" } ?? "")
    }
}

/// A row with a lifecycle that retiring switches off.
protocol LifecycleCarrier: AnyObject {
    var lifecycle: String { get set }
    var entityID: String { get }
    func clearSuspension()
}

/// A row that can be suspended for a while.
protocol SuspendableModel: Revisioned, LifecycleCarrier {
    var suspension: Suspension? { get }
    func setSuspension(_ suspension: Suspension?)
}

extension ZoneModel: SuspendableModel {
    var entityID: String { id ?? "" }
    func clearSuspension() { setSuspension(nil) }
}

extension BayModel: SuspendableModel {
    var entityID: String { id ?? "" }
    func clearSuspension() { setSuspension(nil) }
}

extension RoadSegmentModel: LifecycleCarrier {
    var entityID: String { id ?? "" }
    func clearSuspension() {}
}
