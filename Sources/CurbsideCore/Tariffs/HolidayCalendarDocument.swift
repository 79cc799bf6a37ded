/// Reads a holiday calendar file: the holiday periods of each year as the
/// State Council notice lists them, each with its make-up working days.
public struct HolidayCalendarDocument: Decodable, Sendable {
    public let calendar: HolidayCalendar

    enum Keys: String, CodingKey, CaseIterable {
        case id, version, name, source, years, periods
    }

    struct Period: Decodable {
        var from: LocalDate
        var to: LocalDate
        var workdays: [LocalDate]

        enum Keys: String, CodingKey, CaseIterable {
            case name, from, to, workdays
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(Set(Keys.allCases.map(\.rawValue)))
            let container = try decoder.container(keyedBy: Keys.self)
            func date(_ key: Keys) throws -> LocalDate {
                let text = try container.decode(String.self, forKey: key)
                guard let date = LocalDate(text) else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "'\(text)' is not a date written yyyy-MM-dd")
                }
                return date
            }
            from = try date(.from)
            to = try container.contains(.to) ? date(.to) : from
            guard from <= to else {
                throw DecodingError.dataCorruptedError(forKey: .to, in: container, debugDescription: "the period ends before it starts")
            }
            let list = try container.decodeIfPresent([String].self, forKey: .workdays) ?? []
            workdays = try list.indices.map { index in
                guard let day = LocalDate(list[index]) else {
                    throw DecodingError.dataCorruptedError(forKey: .workdays, in: container, debugDescription: "'\(list[index])' is not a date written yyyy-MM-dd")
                }
                guard HolidayCalendar.weekdayRule(day.dayNumber) == .nonWorkday else {
                    throw DecodingError.dataCorruptedError(forKey: .workdays, in: container, debugDescription: "\(day) is a weekday; make-up working days fall on weekends")
                }
                return day
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Set(Keys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: Keys.self)
        let id = try container.decode(String.self, forKey: .id)
        let years = try container.decode([Int].self, forKey: .years)
        guard let first = years.min(), let last = years.max(), first >= 1970, last < 2100, Set(years) == Set(first...last) else {
            throw DecodingError.dataCorruptedError(forKey: .years, in: container, debugDescription: "list consecutive years, e.g. [2025, 2026]")
        }
        let periods = try container.decode([Period].self, forKey: .periods)
        var holidays = Set<LocalDate>(), workdays = Set<LocalDate>()
        for period in periods {
            for day in period.from.dayNumber...period.to.dayNumber { holidays.insert(LocalDate(dayNumber: day)) }
            workdays.formUnion(period.workdays)
        }
        if let outside = (holidays.union(workdays)).first(where: { !(first...last).contains($0.year) }) {
            throw DecodingError.dataCorruptedError(forKey: .periods, in: container, debugDescription: "\(outside) is outside the years \(first)-\(last)")
        }
        calendar = HolidayCalendar(
            id: id, version: try container.decodeIfPresent(Int.self, forKey: .version) ?? 1,
            name: try container.decode(String.self, forKey: .name), years: first...last, holidays: holidays, workdays: workdays
        )
    }
}
