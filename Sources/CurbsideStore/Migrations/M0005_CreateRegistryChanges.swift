import FluentKit
import SQLKit

struct M0005_CreateRegistryChanges: AsyncMigration {
    var name: String { "0005_create_registry_changes" }

    func prepare(on database: any Database) async throws {
        try await database.schema(RegistryChangeModel.schema)
            .field("id", .int64, .identifier(auto: true))
            .field("changed_at", .datetime, .required)
            .field("actor", .string, .required)
            .field("actor_role", .string, .required)
            .field("entity", .string, .required)
            .field("entity_id", .string, .required)
            .field("action", .string, .required)
            .field("fields", .string, .required)
            .field("reason", .string)
            .field("source", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "registry_changes_at_idx").on(RegistryChangeModel.schema).column("changed_at").run()
        try await sql.create(index: "registry_changes_entity_idx").on(RegistryChangeModel.schema).column("entity").column("entity_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RegistryChangeModel.schema).delete()
    }
}
