import CurbsideCore
import FluentKit
import Foundation

/// A registry change as the change log reports it.
public struct RegistryChange: Sendable {
    public var id: Int
    public var changedAt: Date
    public var actor: Principal?
    public var entity: RegistryPlan.Entity
    public var entityID: String
    public var action: String
    public var fields: [FieldChange]
    public var reason: String?
    public var source: String
}

extension Registry {
    /// Changes in the order they were made, after a given change id (a cursor) and
    /// optionally since an instant; the city platform's 48-hour feed reads this.
    public func changes(
        after cursor: Int? = nil, since: Date? = nil, entity: RegistryPlan.Entity? = nil, entityID: String? = nil, limit: Int
    ) async throws -> [RegistryChange] {
        let query = RegistryChangeModel.query(on: database).sort(\.$id).limit(limit)
        if let cursor { query.filter(\.$id > cursor) }
        if let since { query.filter(\.$changedAt >= since) }
        if let entity { query.filter(\.$entity == entity.rawValue) }
        if let entityID { query.filter(\.$entityID == entityID) }
        let decoder = JSONDecoder()
        return try await query.all().map { model in
            guard let id = model.id, let entity = RegistryPlan.Entity(rawValue: model.entity) else {
                throw StoreCorruption(what: "registry change \(model.id ?? 0)")
            }
            return RegistryChange(
                id: id, changedAt: model.changedAt,
                actor: Role(rawValue: model.actorRole).map { Principal(subject: model.actor, role: $0) },
                entity: entity, entityID: model.entityID, action: model.action,
                fields: try decoder.decode([FieldChange].self, from: Data(model.fields.utf8)),
                reason: model.reason, source: model.source
            )
        }
    }
}
