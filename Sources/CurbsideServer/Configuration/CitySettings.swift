import CurbsideCore

/// The city Curbside serves: its division code and its clock.
public struct CitySettings: Sendable {
    public static let defaultTimeZone = ZoneClock(identifier: "Asia/Shanghai")!

    /// The city's GB/T 2260 division code, the prefix of full bay codes.
    public var code = DivisionCode("440784")!
    /// The city's time zone: for zones created without one, statements' days and the arrears ladder's days.
    public var timeZone = CitySettings.defaultTimeZone

    public init() {}

    /// `CURBSIDE_CITY_CODE`, `CURBSIDE_TIME_ZONE`.
    init(reading curbside: SettingsReader) throws {
        code = try curbside.value("cityCode", as: DivisionCode.self) ?? code
        timeZone = try curbside.value("timeZone", as: ZoneClock.self) ?? timeZone
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
