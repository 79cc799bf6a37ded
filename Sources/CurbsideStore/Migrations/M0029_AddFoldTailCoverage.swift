import FluentKit
import SQLKit

/// Each bay's tail records the newest event (by row id) its fold has taken in,
/// so a round folds a bay through at least that and never back behind a fold
/// another server made while this one waited for the bay's lock. Tails that
/// exist already are taken to cover every event stored: a conservative bound
/// that costs at most one wider first fold per bay.
struct M0029_AddFoldTailCoverage: AsyncMigration {
    var name: String { "0029_add_fold_tail_coverage" }

    func prepare(on database: any Database) async throws {
        try await database.schema("fold_tails").field("last_event", .int64, .required, .sql(.default(0))).update()
        try await database.sql.raw("UPDATE fold_tails SET last_event = COALESCE((SELECT MAX(id) FROM device_events), 0)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("fold_tails").deleteField("last_event").update()
    }
}
