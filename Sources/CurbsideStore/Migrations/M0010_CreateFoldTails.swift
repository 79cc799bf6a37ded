import FluentKit

/// Each bay's fold state a little behind its newest event (its tail), so new
/// events fold on from there instead of from the last spaced checkpoint.
struct M0010_CreateFoldTails: AsyncMigration {
    var name: String { "0010_create_fold_tails" }

    func prepare(on database: any Database) async throws {
        try await database.schema("fold_tails")
            .field("bay_code", .string, .identifier(auto: false))
            .field("at_ms", .int64, .required)
            .field("spaced_ms", .int64)
            .field("state", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("fold_tails").delete()
    }
}
