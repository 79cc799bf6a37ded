import FluentKit
import SQLKit

/// The report's money summed coarser beside the day sums of M0031: per local
/// day and zone over every segment (`ledger_zone_days`), and per local month
/// and road segment (`ledger_segment_months`), built from the day sums there
/// are. A month's report of a city then reads a few hundred rows a day and a
/// row per segment instead of every segment's every day.
struct M0036_CreateLedgerSummaries: AsyncMigration {
    var name: String { "0036_create_ledger_summaries" }

    func prepare(on database: any Database) async throws {
        try await database.schema("ledger_zone_days")
            .field("day", .int32, .required)
            .field("zone_id", .string, .required)
            .field("channel", .string, .required)
            .field("kind", .string, .required)
            .field("overdue", .int16, .required)
            .field("non_stop", .int16, .required)
            .field("fen", .int64, .required)
            .field("entries", .int64, .required)
            .compositeIdentifier(over: "day", "zone_id", "channel", "kind", "overdue", "non_stop")
            .create()
        try await database.schema("ledger_segment_months")
            .field("month_day", .int32, .required)
            .field("zone_id", .string, .required)
            .field("segment_id", .string, .required)
            .field("kind", .string, .required)
            .field("overdue", .int16, .required)
            .field("fen", .int64, .required)
            .field("entries", .int64, .required)
            .compositeIdentifier(over: "month_day", "zone_id", "segment_id", "kind", "overdue")
            .create()
        if database.sql.dialect.name == "postgresql" {
            // As M0031's sums: updated in place by the job.
            for table in ["ledger_zone_days", "ledger_segment_months"] {
                try await database.sql.raw("ALTER TABLE \(ident: table) SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.05)").run()
            }
        }
        try await ReportRollups.summarise(on: database.sql)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("ledger_segment_months").delete()
        try await database.schema("ledger_zone_days").delete()
    }
}
