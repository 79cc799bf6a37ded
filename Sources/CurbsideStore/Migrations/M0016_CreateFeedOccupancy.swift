import FluentKit

/// The road segments' occupancy counts last queued for the city platform, so
/// that a restart or a second server sends only what changed.
struct M0016_CreateFeedOccupancy: AsyncMigration {
    var name: String { "0016_create_feed_occupancy" }

    func prepare(on database: any Database) async throws {
        try await database.schema("feed_occupancy")
            .field("segment_id", .string, .identifier(auto: false))
            .field("counts", .string, .required)
            .field("sent_ms", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("feed_occupancy").delete()
    }
}
