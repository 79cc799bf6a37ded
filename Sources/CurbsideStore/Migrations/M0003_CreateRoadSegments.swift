import FluentKit
import SQLKit

struct M0003_CreateRoadSegments: AsyncMigration {
    var name: String { "0003_create_road_segments" }

    func prepare(on database: any Database) async throws {
        try await database.schema(RoadSegmentModel.schema)
            .field("id", .string, .identifier(auto: false))
            .field("zone_id", .string, .required, .references(ZoneModel.schema, "id"))
            .field("road_name", .string, .required)
            .field("side", .string, .required)
            .field("from_street", .string, .required)
            .field("to_street", .string, .required)
            .field("path", .string, .required)
            .field("lifecycle", .string, .required)
            .field("revision", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "road_segments_zone_idx")
            .on(RoadSegmentModel.schema).column("zone_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RoadSegmentModel.schema).delete()
    }
}
