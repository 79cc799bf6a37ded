import CurbsideCore
import CurbsideServer
import Foundation

/// The demo's "now": the real time, or, when a day to simulate is given, the
/// same time of day on the day after it, so that the demo can be run for any
/// day (a month's end, a holiday) and do exactly what it would the next morning.
struct DemoClock: Sendable {
    /// The city's time zone as the demo's server has it (the default, Beijing time).
    static let zone = CitySettings.defaultTimeZone
    let offset: TimeInterval

    init(simulating day: LocalDate? = nil) {
        guard let day else {
            offset = 0
            return
        }
        let today = Self.zone.localDay(Date().seconds)
        offset = TimeInterval(day.dayNumber + 1 - today) * 86_400
    }

    var now: Date { Date().addingTimeInterval(offset) }
    var seconds: Int64 { now.seconds }
    var milliseconds: Int64 { now.milliseconds }

    /// The local day it is now, and the one simulated (the day before).
    var today: LocalDate { LocalDate(dayNumber: Self.zone.localDay(seconds)) }
    var simulatedDay: LocalDate { LocalDate(dayNumber: Self.zone.localDay(seconds) - 1) }
}
