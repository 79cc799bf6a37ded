import FluentKit
import SQLKit

/// The CDS aggregates' figures summed per road segment and UTC quarter-hour
/// (`SegmentQuarters`), with the deltas fusion adds until the report-sums job
/// folds them in; the sums are built from the sessions there are (a minute or
/// two for a city's month: see docs/operations.md).
struct M0038_CreateSegmentQuarters: AsyncMigration {
    var name: String { "0038_create_segment_quarters" }

    func prepare(on database: any Database) async throws {
        for table in ["segment_quarters", "segment_quarter_deltas"] {
            var schema = database.schema(table)
            if table == "segment_quarter_deltas" { schema = schema.field("id", .int64, .identifier(auto: true)) }
            schema = schema
                .field("segment_id", .string, .required)
                .field("quarter", .int64, .required)
                .field("starts", .int64, .required)
                .field("dwell_ms", .int64, .required)
                .field("ends", .int64, .required)
                .field("occupied_ms", .int64, .required)
            // Read by a window of quarters across every segment.
            if table == "segment_quarters" { schema = schema.compositeIdentifier(over: "quarter", "segment_id") }
            try await schema.create()
        }
        if database.sql.dialect.name == "postgresql" {
            // As M0034's tables: the sums are updated in place, the deltas inserted and deleted in bulk.
            try await database.sql.raw("ALTER TABLE segment_quarters SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.05)").run()
            try await database.sql.raw("""
                ALTER TABLE segment_quarter_deltas SET (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 500)
                """).run()
        }
        try await SegmentQuarters.rebuild(on: database.sql)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("segment_quarter_deltas").delete()
        try await database.schema("segment_quarters").delete()
    }
}
