import FluentKit
import SQLKit

/// The concession report's money summed per local day, zone, road segment,
/// channel and kind (`ReportRollups`), and the deltas each ledger write adds
/// until a job folds them in; the sums are built from the ledger there is.
struct M0031_CreateReportRollups: AsyncMigration {
    var name: String { "0031_create_report_rollups" }

    func prepare(on database: any Database) async throws {
        try await database.schema("ledger_rollups")
            .field("day", .int32, .required)
            .field("zone_id", .string, .required)
            .field("segment_id", .string, .required)
            .field("channel", .string, .required)
            .field("kind", .string, .required)
            .field("overdue", .int16, .required)
            .field("non_stop", .int16, .required)
            .field("fen", .int64, .required)
            .field("entries", .int64, .required)
            .compositeIdentifier(over: "day", "zone_id", "segment_id", "channel", "kind", "overdue", "non_stop")
            .create()
        try await database.schema("ledger_rollup_deltas")
            .field("id", .int64, .identifier(auto: true))
            .field("day", .int32, .required)
            .field("zone_id", .string, .required)
            .field("segment_id", .string, .required)
            .field("channel", .string, .required)
            .field("kind", .string, .required)
            .field("overdue", .int16, .required)
            .field("non_stop", .int16, .required)
            .field("fen", .int64, .required)
            .field("entries", .int64, .required)
            .create()
        if database.sql.dialect.name == "postgresql" {
            // As M0030's tables: the sums are updated in place, the deltas inserted and deleted in bulk.
            try await database.sql.raw("ALTER TABLE ledger_rollups SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.05)").run()
            try await database.sql.raw("ALTER TABLE ledger_rollup_deltas SET (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 500)").run()
        }
        try await ReportRollups.rebuild(on: database.sql)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("ledger_rollup_deltas").delete()
        try await database.schema("ledger_rollups").delete()
    }
}
