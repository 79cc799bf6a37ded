import FluentKit

struct M0006_CreateHolidayCalendars: AsyncMigration {
    var name: String { "0006_create_holiday_calendars" }

    func prepare(on database: any Database) async throws {
        try await database.schema(HolidayCalendarModel.schema)
            .id()
            .field("calendar_id", .string, .required)
            .field("version", .int, .required)
            .field("name", .string, .required)
            .field("source", .string, .required)
            .field("sha256", .string, .required)
            .field("loaded_at", .datetime, .required)
            .unique(on: "calendar_id", "version")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(HolidayCalendarModel.schema).delete()
    }
}
