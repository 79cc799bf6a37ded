import FluentKit

struct M0002_CreateZones: AsyncMigration {
    var name: String { "0002_create_zones" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ZoneModel.schema)
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("zone_class", .int, .required)
            .field("district_code", .string, .required)
            .field("district_name", .string, .required)
            .field("tariff_id", .string, .required)
            .field("time_zone", .string, .required)
            .field("operator_name", .string, .required)
            .field("service_phone", .string, .required)
            .field("service_hours", .string, .required)
            .field("boundary", .string, .required)
            .field("lifecycle", .string, .required)
            .field("suspension_reason", .string)
            .field("suspended_from", .datetime)
            .field("suspended_until", .datetime)
            .field("revision", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ZoneModel.schema).delete()
    }
}
