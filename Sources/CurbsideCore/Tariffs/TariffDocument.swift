/// Reads the tariff file format (docs/tariffs.md) into a checked `Tariff`.
/// Every refusal is a DecodingError whose coding path names the key at fault.
public struct TariffDocument: Decodable, Sendable {
    public let tariff: Tariff

    enum Keys: String, CodingKey, CaseIterable {
        case id, version, name, effective, summary, notes, calendar, illustrative, classes, vehicles, units
        case timeZone = "time_zone", freePeriod = "free_period", unitScope = "unit_scope", tierClock = "tier_clock"
        case tiersRestart = "tiers_restart", capPeriod = "cap_period", capScalesWithRate = "cap_scales_with_rate"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Set(Keys.allCases.map(\.rawValue)))
        let header = try TariffHeader(from: decoder)
        let container = try decoder.container(keyedBy: Keys.self)
        let rounding = try container.choice(.units, default: UnitRounding.started)
        let classes = try container.decode(ClassesDocument.self, forKey: .classes)
        tariff = Tariff(
            header: header,
            calendarID: try container.decodeIfPresent(String.self, forKey: .calendar),
            unitScope: try container.choice(.unitScope, default: UnitScope.stay),
            tierClock: try container.choice(.tierClock, default: TierClock.charged),
            tiersRestart: try container.choice(.tiersRestart, default: TierRestart.never),
            capPeriod: try container.choice(.capPeriod, default: CapPeriod.calendarDay),
            capScalesWithRate: try container.decodeIfPresent(Bool.self, forKey: .capScalesWithRate) ?? true,
            freePeriod: try container.decodeIfPresent(FreePeriodDocument.self, forKey: .freePeriod)?.freePeriod,
            classes: classes.classes.map { $0.rules(defaultRounding: rounding) },
            vehicles: try container.decodeIfPresent(VehiclesDocument.self, forKey: .vehicles)?.rules ?? [:],
            illustrative: try container.decodeIfPresent(Bool.self, forKey: .illustrative) ?? false,
            notes: try container.decodeIfPresent(String.self, forKey: .notes) ?? ""
        )
    }
}

struct FreePeriodDocument: Decodable {
    let freePeriod: FreePeriod

    enum Keys: String, CodingKey, CaseIterable {
        case minutes
        case appliesTo = "applies_to", lostAfterHours = "lost_after_hours"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Set(Keys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: Keys.self)
        freePeriod = FreePeriod(
            minutes: try container.positive(.minutes, atMost: 1440),
            scope: try container.choice(.appliesTo, default: FreePeriod.Scope.wholeStay),
            lostAfterHours: try container.contains(.lostAfterHours) ? container.positive(.lostAfterHours, atMost: 24 * 366) : nil
        )
    }
}

/// The `classes` map: each of 1, 2 and 3 exactly once.
struct ClassesDocument: Decodable {
    let classes: [ClassDocument]

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(["1", "2", "3"])
        let container = try decoder.container(keyedBy: AnyKey.self)
        classes = try ["1", "2", "3"].map { name in
            guard container.contains(AnyKey(name)) else {
                throw DecodingError.keyNotFound(AnyKey(name), .init(codingPath: container.codingPath, debugDescription: "every zone class needs rules"))
            }
            return try container.decode(ClassDocument.self, forKey: AnyKey(name))
        }
    }
}

/// One zone class: a cap and the windows of each day type.
struct ClassDocument: Decodable {
    let capFen: Int?
    /// Windows per day type before the tariff's default rounding is applied.
    let windows: [[WindowDocument]]

    enum Keys: String, CodingKey, CaseIterable {
        case cap, workday, holiday
        case everyDay = "every_day", nonWorkday = "non_workday"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Set(Keys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: Keys.self)
        capFen = try container.moneyIfPresent(.cap)
        let everyDay = try container.decodeIfPresent([WindowDocument].self, forKey: .everyDay)
        let workday = try container.decodeIfPresent([WindowDocument].self, forKey: .workday) ?? everyDay
        let nonWorkday = try container.decodeIfPresent([WindowDocument].self, forKey: .nonWorkday) ?? everyDay
        let holiday = try container.decodeIfPresent([WindowDocument].self, forKey: .holiday) ?? nonWorkday
        guard let workday, let nonWorkday, let holiday else {
            throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath, debugDescription: "give every_day, or both workday and non_workday"))
        }
        windows = [workday, nonWorkday, holiday].map { $0.sorted { $0.start < $1.start } }
        for (type, list) in zip(DayType.allCases, windows) {
            for (earlier, later) in zip(list, list.dropFirst()) where earlier.end > later.start {
                throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath, debugDescription: "\(type) windows \(earlier.label) and \(later.label) overlap"))
            }
            if let last = list.last, let first = list.first, last.end - 1440 > first.start {
                throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath, debugDescription: "\(type) window \(last.label) runs into the next day's \(first.label)"))
            }
        }
        // A window crossing midnight belongs to the day it starts on; it must end before
        // any day type's first window starts, so that two days' windows never overlap.
        let spill = windows.joined().map { $0.end - 1440 }.max() ?? 0
        if let earliest = windows.joined().map(\.start).min(), spill > earliest {
            throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath, debugDescription: "a window crossing midnight ends after another day type's first window starts"))
        }
    }

    func rules(defaultRounding: UnitRounding) -> Tariff.ClassRules {
        Tariff.ClassRules(capFen: capFen, windows: windows.map { $0.map { $0.window(defaultRounding: defaultRounding) } })
    }
}

/// One window: `{from, to}` and one of `price` (with `unit`), `tiers`, `flat` or `free: true`.
struct WindowDocument: Decodable {
    let start: Int
    let end: Int
    let pricing: WindowPricing
    let rounding: UnitRounding?

    enum Keys: String, CodingKey, CaseIterable {
        case from, to, unit, price, tiers, flat, free, units
    }

    var label: String { TariffWindow(startMinute: start, endMinute: end, pricing: .free, rounding: .started).label }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Set(Keys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: Keys.self)
        start = try container.clockMinute(.from, allowEndOfDay: false)
        let to = try container.clockMinute(.to, allowEndOfDay: true)
        end = to > start ? to : to + 1440
        rounding = try container.contains(.units) ? container.choice(.units, default: UnitRounding.started) : nil
        let forms = [Keys.price, .tiers, .flat, .free].filter(container.contains)
        guard forms.count == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath, debugDescription: "a window needs exactly one of price, tiers, flat or free"))
        }
        switch forms[0] {
        case .free:
            guard try container.decode(Bool.self, forKey: .free) else {
                throw DecodingError.dataCorruptedError(forKey: .free, in: container, debugDescription: "write free: true, or leave the time out of every window")
            }
            pricing = .free
        case .flat:
            let flat = try container.decode(FlatDocument.self, forKey: .flat)
            pricing = .flat(blockMinutes: flat.minutes, priceFen: flat.priceFen)
        case .price:
            let unit = try container.positive(.unit, atMost: 1440)
            pricing = .metered(tiers: [TariffTier(fromMinute: 0, untilMinute: nil, unitMinutes: unit, priceFen: try container.money(.price))])
        default:
            let defaultUnit = try container.contains(.unit) ? container.positive(.unit, atMost: 1440) : nil
            var tiersContainer = try container.nestedUnkeyedContainer(forKey: .tiers)
            var tiers: [TariffTier] = []
            while !tiersContainer.isAtEnd {
                let tier = try tiersContainer.decode(TierDocument.self)
                let from = tiers.last?.untilMinute ?? 0
                guard tiers.last.map({ $0.untilMinute != nil }) ?? true else {
                    throw DecodingError.dataCorrupted(.init(codingPath: tiersContainer.codingPath, debugDescription: "only the last tier may leave out until"))
                }
                guard let unit = tier.unit ?? defaultUnit else {
                    throw DecodingError.dataCorrupted(.init(codingPath: tiersContainer.codingPath, debugDescription: "tier \(tiers.count + 1) needs a unit (on the tier or the window)"))
                }
                if let until = tier.until {
                    guard until > from, (until - from) % unit == 0 else {
                        throw DecodingError.dataCorrupted(.init(codingPath: tiersContainer.codingPath, debugDescription: "tier \(tiers.count + 1) must end after \(from) min and span whole \(unit)-minute units"))
                    }
                }
                tiers.append(TariffTier(fromMinute: from, untilMinute: tier.until, unitMinutes: unit, priceFen: tier.priceFen))
            }
            guard let last = tiers.last, last.untilMinute == nil else {
                throw DecodingError.dataCorrupted(.init(codingPath: tiersContainer.codingPath, debugDescription: "the last tier must be open-ended (no until)"))
            }
            pricing = .metered(tiers: tiers)
        }
    }

    func window(defaultRounding: UnitRounding) -> TariffWindow {
        TariffWindow(startMinute: start, endMinute: end, pricing: pricing, rounding: rounding ?? defaultRounding)
    }
}

struct TierDocument: Decodable {
    let until: Int?
    let unit: Int?
    let priceFen: Int

    enum Keys: String, CodingKey, CaseIterable {
        case until, unit, price
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Set(Keys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: Keys.self)
        until = try container.contains(.until) ? container.positive(.until, atMost: 24 * 60 * 366) : nil
        unit = try container.contains(.unit) ? container.positive(.unit, atMost: 1440) : nil
        priceFen = try container.money(.price)
    }
}

struct FlatDocument: Decodable {
    let minutes: Int
    let priceFen: Int

    enum Keys: String, CodingKey, CaseIterable {
        case per, price
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Set(Keys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: Keys.self)
        minutes = try container.positive(.per, atMost: 1440)
        priceFen = try container.money(.price)
    }
}

/// `vehicles`: per class, a rule map, or `free` for exempt vehicles.
struct VehiclesDocument: Decodable {
    let rules: [VehicleClass: VehicleRule]

    enum RuleKeys: String, CodingKey, CaseIterable {
        case multiplier
        case percentOff = "percent_off", freeMinutesPerDay = "free_minutes_per_day", firstMinutesFree = "first_minutes_free"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Set(VehicleClass.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: AnyKey.self)
        var rules: [VehicleClass: VehicleRule] = [:]
        for key in container.allKeys {
            let vehicle = VehicleClass(rawValue: key.stringValue)!
            if let word = try? container.decode(String.self, forKey: key) {
                guard word == "free" else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "write free, or a map of multiplier, percent_off, free_minutes_per_day, first_minutes_free")
                }
                rules[vehicle] = .free
                continue
            }
            let rule = try container.nestedContainer(keyedBy: RuleKeys.self, forKey: key)
            for unknown in try container.nestedContainer(keyedBy: AnyKey.self, forKey: key).allKeys where RuleKeys(rawValue: unknown.stringValue) == nil {
                throw DecodingError.dataCorrupted(.init(codingPath: rule.codingPath + [unknown], debugDescription: "unknown key '\(unknown.stringValue)'"))
            }
            var ratePercent = 100
            if let text = try rule.decodeIfPresent(String.self, forKey: .multiplier) {
                guard let fen = Money.fen(fromYuan: text), fen > 0 else {
                    throw DecodingError.dataCorruptedError(forKey: .multiplier, in: rule, debugDescription: "'\(text)' is not a multiplier such as 2 or 1.5")
                }
                ratePercent = fen
            }
            let percentOff = try rule.decodeIfPresent(Int.self, forKey: .percentOff) ?? 0
            guard (0...100).contains(percentOff) else {
                throw DecodingError.dataCorruptedError(forKey: .percentOff, in: rule, debugDescription: "must be between 0 and 100")
            }
            rules[vehicle] = VehicleRule(
                ratePercent: ratePercent, percentOff: percentOff,
                freeMinutesPerDay: try rule.contains(.freeMinutesPerDay) ? rule.positive(.freeMinutesPerDay, atMost: 1440) : 0,
                firstMinutesFree: try rule.contains(.firstMinutesFree) ? rule.positive(.firstMinutesFree, atMost: 1440) : 0
            )
        }
        self.rules = rules
    }
}
