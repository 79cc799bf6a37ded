import FluentKit
import Foundation

/// A dated record of one change to the registry: who, when, what. The city
/// platform must be sent static-data changes within 48 hours (seed 003 §6).
public final class RegistryChangeModel: Model, @unchecked Sendable {
    public static let schema = "registry_changes"

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "changed_at") public var changedAt: Date
    @Field(key: "actor") public var actor: String
    @Field(key: "actor_role") public var actorRole: String
    @Field(key: "entity") public var entity: String
    @Field(key: "entity_id") public var entityID: String
    @Field(key: "action") public var action: String
    /// JSON array of field changes.
    @Field(key: "fields") public var fields: String
    @OptionalField(key: "reason") public var reason: String?
    /// Where the change came from: api, import or seed.
    @Field(key: "source") public var source: String

    public init() {}
}
