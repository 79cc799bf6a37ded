import FluentKit
import SQLKit

/// Each channel's statement for each day, fetched and reconciled by the
/// statement job: one row per channel and day, so however many instances run
/// the job, a day is reconciled once.
struct M0023_CreateStatementRuns: AsyncMigration {
    var name: String { "0023_create_statement_runs" }

    func prepare(on database: any Database) async throws {
        try await database.schema("statement_runs")
            .field("channel", .string, .required)
            .field("day", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int32, .required, .sql(.default(0)))
            .field("attempt_ms", .int64)
            .field("reconciliation_id", .int64)
            .field("failure", .string)
            .field("created_ms", .int64, .required)
            .field("finished_ms", .int64)
            .compositeIdentifier(over: "channel", "day")
            .create()
        try await database.sql.create(index: "statement_runs_attempt_idx").on("statement_runs").column("attempt_ms").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("statement_runs").delete()
    }
}
