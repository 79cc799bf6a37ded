/// A tariff written out for people, class by class, as published to citizens
/// (seed 000: fee standards are public) and as the tariff endpoint serves it.
public struct TariffText: Sendable {
    public let tariff: Tariff

    public init(tariff: Tariff) {
        self.tariff = tariff
    }

    /// The rules of one zone class, one sentence per line.
    public func lines(for zoneClass: ZoneClass) -> [String] {
        let rules = tariff.rules(for: zoneClass)
        var text: [String] = []
        let sameEveryDay = rules.windows[0] == rules.windows[1] && rules.windows[1] == rules.windows[2]
        let dayTypes: [(String, DayType)] = sameEveryDay ? [("Every day", .workday)]
            : rules.windows[1] == rules.windows[2] ? [("Workdays", .workday), ("Non-workdays and holidays", .nonWorkday)]
            : [("Workdays", .workday), ("Non-workdays", .nonWorkday), ("Holidays", .holiday)]
        for (name, dayType) in dayTypes {
            let windows = rules.windows[dayType.rawValue]
            if windows.isEmpty {
                text.append("\(name): free all day.")
                continue
            }
            for window in windows {
                text.append("\(name) \(window.label): \(describe(window)).")
            }
            let charged = windows.filter { $0.pricing != .free }.map(\.label)
            if !charged.isEmpty && windows.count == charged.count {
                text.append("\(name) outside \(charged.joined(separator: ", ")): free.")
            }
        }
        if let cap = rules.capFen {
            let period = tariff.capPeriod == .calendarDay ? "per calendar day" : "per 24 hours from arrival, then a new 24-hour cycle"
            text.append("Cap: \(Money.display(cap)) \(period)" + (tariff.tiersRestart == .cycle ? "; tiers start again with each cycle." : "."))
        }
        if let free = tariff.freePeriod {
            var sentence = switch free.scope {
            case .wholeStay: "Free period: a stay of up to \(free.minutes) min is free; a longer stay pays from arrival"
            case .firstMinutes: "Free period: the first \(free.minutes) min of every stay are free"
            }
            if let hours = free.lostAfterHours { sentence += "; stays over \(hours) h lose it" }
            text.append(sentence + ".")
        }
        for vehicle in VehicleClass.allCases {
            guard let rule = tariff.vehicles[vehicle] else { continue }
            text.append("\(QuoteText.vehicleName(vehicle)): \(describe(rule)).")
        }
        if tariff.calendarID != nil && !sameEveryDay {
            text.append("Workdays, non-workdays and holidays follow the national holiday calendar, make-up working days included.")
        }
        return text
    }

    func describe(_ window: TariffWindow) -> String {
        let part = window.rounding == .started ? "part units charged as whole" : "part units not charged"
        switch window.pricing {
        case .free:
            return "free"
        case let .flat(block, price):
            return "\(Money.display(price)) per \(QuoteText.duration(Int64(block) * 60)) (\(part))"
        case let .metered(tiers):
            let clock = tariff.tierClock == .charged ? "charged" : "parked"
            let parts = tiers.map { tier -> String in
                let rate = "\(Money.display(tier.priceFen)) per \(QuoteText.duration(Int64(tier.unitMinutes) * 60))"
                guard tiers.count > 1 else { return rate }
                switch (tier.fromMinute, tier.untilMinute) {
                case (0, let until?): return "\(rate) for the first \(QuoteText.duration(Int64(until) * 60)) \(clock)"
                case let (from, until?): return "\(rate) from \(QuoteText.duration(Int64(from) * 60)) to \(QuoteText.duration(Int64(until) * 60))"
                case let (from, nil): return "\(rate) after \(QuoteText.duration(Int64(from) * 60))"
                }
            }
            return parts.joined(separator: ", ") + " (\(part))"
        }
    }

    func describe(_ rule: VehicleRule) -> String {
        if rule.exempt { return "not charged" }
        var parts: [String] = []
        if rule.ratePercent != 100 {
            let factor = rule.ratePercent % 100 == 0 ? String(rule.ratePercent / 100) : Money.yuan(rule.ratePercent)
            parts.append("rates" + (tariff.capScalesWithRate ? " and caps" : "") + " × \(factor)")
        }
        if rule.freeMinutesPerDay > 0 { parts.append("the first \(rule.freeMinutesPerDay) min of charged time each day free") }
        if rule.firstMinutesFree > 0 { parts.append("the first \(rule.firstMinutesFree) min of every stay free") }
        if rule.percentOff > 0 { parts.append("\(rule.percentOff)% off") }
        return parts.isEmpty ? "the base rates" : parts.joined(separator: ", ")
    }
}
