import FluentKit

/// What a day of reports says of each device's clock: when the window began,
/// how many reports came promptly, and how many came late in batches its
/// gateway sent live (`DeviceReport.ClockSample`).
struct M0021_AddDeviceClockWindow: AsyncMigration {
    var name: String { "0021_add_device_clock_window" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        try await database.schema("devices").field("clock_window_ms", .int64).update()
        try await database.schema("devices").field("clock_prompt", .int32).update()
        try await database.schema("devices").field("clock_late", .int32).update()
    }

    func revert(on database: any Database) async throws {
        for column in ["clock_late", "clock_prompt", "clock_window_ms"] {
            try await database.schema("devices").deleteField(.string(column)).update()
        }
    }
}
