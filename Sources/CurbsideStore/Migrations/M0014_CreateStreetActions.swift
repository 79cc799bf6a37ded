import FluentKit
import SQLKit

/// Officers' street actions, once each per officer and client id: a handheld
/// that sends an action again (an offline batch retried) gets the first answer.
struct M0014_CreateStreetActions: AsyncMigration {
    var name: String { "0014_create_street_actions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("street_actions")
            .field("staff_id", .string, .required)
            .field("client_id", .string, .required)
            .field("shift_id", .string, .required)
            .field("kind", .string, .required)
            .field("bay_code", .string)
            .field("at_ms", .int64, .required)
            .field("received_ms", .int64, .required)
            .field("status", .string, .required)
            .field("code", .string, .required)
            .field("result", .string, .required)
            .compositeIdentifier(over: "staff_id", "client_id")
            .create()
        try await (database as! any SQLDatabase).create(index: "street_actions_shift_idx").on("street_actions").column("shift_id").column("at_ms").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("street_actions").delete()
    }
}
