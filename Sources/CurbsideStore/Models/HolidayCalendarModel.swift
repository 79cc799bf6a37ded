import FluentKit
import Foundation

/// A holiday calendar file as loaded, kept by version like tariffs: a quote
/// records the calendar version that typed its days.
public final class HolidayCalendarModel: Model, @unchecked Sendable {
    public static let schema = "holiday_calendars"

    @ID(key: .id) public var id: UUID?
    @Field(key: "calendar_id") public var calendarID: String
    @Field(key: "version") public var version: Int
    @Field(key: "name") public var name: String
    @Field(key: "source") public var source: String
    @Field(key: "sha256") public var sha256: String
    @Field(key: "loaded_at") public var loadedAt: Date

    public init() {}
}
