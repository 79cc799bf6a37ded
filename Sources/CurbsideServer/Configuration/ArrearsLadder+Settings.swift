import Foundation
import CurbsideCore

extension ArrearsLadder {
    /// `CURBSIDE_ARREARS_REMINDER_DAYS` (days after issue, `7,21`), `CURBSIDE_ARREARS_MAKEUP_DAYS`,
    /// `CURBSIDE_ARREARS_FINAL_DAYS`, `CURBSIDE_ARREARS_REFER_DAYS`.
    init(reading curbside: SettingsReader) throws {
        let arrears = curbside.scoped(to: "arrears")
        let ladder = ArrearsLadder()
        self.init(
            reminderDays: try arrears.value("reminderDays", as: DayList.self)?.days ?? ladder.reminderDays,
            makeUpDays: try arrears.whole("makeupDays", default: ladder.makeUpDays, in: 1...256),
            finalNoticeDays: try arrears.whole("finalDays", default: ladder.finalNoticeDays, in: 1...256),
            referAfterDays: try arrears.whole("referDays", default: ladder.referAfterDays, in: 1...256)
        )
    }
}

/// Days as operators list them: `7,21`.
private struct DayList: SettingValue {
    static let expectation = "days after issue such as 7,21"
    var days: [Int]

    init?(setting: String) {
        let days = setting.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !days.isEmpty, days.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0) <= 3_650 }) else { return nil }
        self.days = days.compactMap { $0 }
    }
}
