import FluentKit
import SQLKit

struct M0001_CreateTariffs: AsyncMigration {
    var name: String { "0001_create_tariffs" }

    func prepare(on database: any Database) async throws {
        try await database.schema(TariffModel.schema)
            .id()
            .field("tariff_id", .string, .required)
            .field("version", .int, .required)
            .field("name", .string, .required)
            .field("summary", .string, .required)
            .field("effective_from", .string, .required)
            .field("time_zone", .string, .required)
            .field("source", .string, .required)
            .field("sha256", .string, .required)
            .field("loaded_at", .datetime, .required)
            .unique(on: "tariff_id", "version")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TariffModel.schema).delete()
    }
}
