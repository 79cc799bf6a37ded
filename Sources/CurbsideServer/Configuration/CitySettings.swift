import CurbsideCore
import Foundation

/// The city Curbside serves: its division code and its clock.
public struct CitySettings: Sendable {
    public static let defaultTimeZone = ZoneClock(identifier: "Asia/Shanghai")!

    /// The city's GB/T 2260 division code, the prefix of full bay codes.
    public var code = DivisionCode("440784")!
    /// The city's time zone: for zones created without one, statements' days and the arrears ladder's days.
    public var timeZone = CitySettings.defaultTimeZone
    /// Seconds the service's clock runs from the system clock, for a rehearsal on a copy (an arrears ladder's months
    /// in an afternoon) or a test's servers on the day of their fixtures. Tokens still expire by the system clock.
    public var clockOffsetSeconds = 0

    public init() {}

    /// `CURBSIDE_CITY_CODE`, `CURBSIDE_TIME_ZONE`, `CURBSIDE_CLOCK_OFFSET_SECONDS`.
    init(reading curbside: SettingsReader) throws {
        code = try curbside.value("cityCode", as: DivisionCode.self) ?? code
        timeZone = try curbside.value("timeZone", as: ZoneClock.self) ?? timeZone
        clockOffsetSeconds = try curbside.whole("clockOffsetSeconds", default: 0, in: -Self.mostOffset...Self.mostOffset)
    }

    /// Ten years either way.
    static let mostOffset = 3_650 * 86_400

    /// The service's clock: the system's, moved by the offset.
    public var clock: @Sendable () -> Date {
        let offset = TimeInterval(clockOffsetSeconds)
        return { Date().addingTimeInterval(offset) }
    }
}

extension DivisionCode: SettingValue {
    static let expectation = "a 6-digit GB/T 2260 division code"
    init?(setting: String) { self.init(setting) }
}

extension ZoneClock: SettingValue {
    static let expectation = "an IANA time zone such as Asia/Shanghai"
    init?(setting: String) { self.init(identifier: setting) }
}
