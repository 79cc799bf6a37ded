import FluentKit
import SQLKit

/// The concession report's operating figures kept summed (`StayRollups`):
/// stays per local day, zone and camera, and occupied time per zone and UTC
/// quarter-hour, with the deltas fusion adds until a job folds them in; the
/// sums are built from the sessions there are.
struct M0034_CreateStayRollups: AsyncMigration {
    var name: String { "0034_create_stay_rollups" }

    func prepare(on database: any Database) async throws {
        try await database.schema("stay_days")
            .field("day", .int32, .required)
            .field("zone_id", .string, .required)
            .field("camera", .int16, .required)
            .field("stays", .int64, .required)
            .field("reads", .int64, .required)
            .compositeIdentifier(over: "day", "zone_id", "camera")
            .create()
        try await database.schema("stay_day_deltas")
            .field("id", .int64, .identifier(auto: true))
            .field("day", .int32, .required)
            .field("zone_id", .string, .required)
            .field("camera", .int16, .required)
            .field("stays", .int64, .required)
            .field("reads", .int64, .required)
            .create()
        try await database.schema("occupied_quarters")
            .field("zone_id", .string, .required)
            .field("quarter", .int64, .required)
            .field("ms", .int64, .required)
            .compositeIdentifier(over: "zone_id", "quarter")
            .create()
        try await database.schema("occupied_quarter_deltas")
            .field("id", .int64, .identifier(auto: true))
            .field("zone_id", .string, .required)
            .field("quarter", .int64, .required)
            .field("ms", .int64, .required)
            .create()
        if database.sql.dialect.name == "postgresql" {
            // As M0031's tables: the sums are updated in place, the deltas inserted and deleted in bulk.
            for table in ["stay_days", "occupied_quarters"] {
                try await database.sql.raw("ALTER TABLE \(ident: table) SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.05)").run()
            }
            for table in ["stay_day_deltas", "occupied_quarter_deltas"] {
                try await database.sql.raw("ALTER TABLE \(ident: table) SET (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 500)").run()
            }
        }
        try await StayRollups.rebuild(on: database.sql)
    }

    func revert(on database: any Database) async throws {
        for table in ["occupied_quarter_deltas", "occupied_quarters", "stay_day_deltas", "stay_days"] {
            try await database.schema(table).delete()
        }
    }
}
