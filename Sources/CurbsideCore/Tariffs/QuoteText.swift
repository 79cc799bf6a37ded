/// Explains a quote line by line in words a driver reads, with local times
/// in the tariff's zone: which window, which tier, how many units at what rate,
/// and where a free period, a cap or a discount applied.
public struct QuoteText: Sendable {
    public let tariff: Tariff
    public let clock: ZoneClock

    public init(tariff: Tariff, clock: ZoneClock) {
        self.tariff = tariff
        self.clock = clock
    }

    public func describe(_ line: QuoteLine, in quote: Quote) -> String {
        let span = "\(time(line.from)) – \(time(line.to, after: line.from))"
        switch line.kind {
        case .exempt:
            return "Exempt vehicle (\(quote.vehicle.rawValue)): not charged"
        case .freePeriod:
            if tariff.freePeriod?.scope == .wholeStay {
                return "Free period: a stay of \(Self.duration(line.to - line.from)) is within the \(line.unitMinutes)-minute free period"
            }
            return "Free period: the first \(line.unitMinutes) min are free (\(span))"
        case .vehicleFreeTime:
            return "\(Self.vehicleName(quote.vehicle)): the first \(line.unitMinutes) min are free (\(span))"
        case .freeWindow:
            return "\(span): free hours" + (window(of: line, in: quote).map { " (\($0.label))" } ?? "")
        case .metered:
            let tier = tierLabel(line, in: quote)
            return "\(span): \(windowLabel(line, in: quote))\(tier.isEmpty ? "" : ", \(tier)"), \(line.units) × \(line.unitMinutes) min at \(Money.display(line.unitPriceFen))"
        case .flat:
            return "\(span): \(windowLabel(line, in: quote)), \(line.units) × \(Self.duration(Int64(line.unitMinutes) * 60)) at \(Money.display(line.unitPriceFen))"
        case .dailyFreeTime:
            let rule = tariff.rule(for: quote.vehicle).rule
            return "\(Self.vehicleName(quote.vehicle)): first \(rule.freeMinutesPerDay) min of charged time each day free, \(line.units) × \(line.unitMinutes) min at \(Money.display(line.unitPriceFen)) (\(span))"
        case .cap:
            let charges = line.unitPriceFen - line.amountFen
            switch tariff.capPeriod {
            case .calendarDay:
                return "Daily cap \(Money.display(line.unitPriceFen)) for \(date(day: line.cycle)) (charges were \(Money.display(charges)))"
            case .rolling24h:
                let start = quote.from + Int64(line.cycle) * 86_400
                return "24-hour cap \(Money.display(line.unitPriceFen)) for \(time(start)) – \(time(start + 86_400, after: start)) (charges were \(Money.display(charges)))"
            }
        case .discount:
            return "\(Self.vehicleName(quote.vehicle)): \(line.unitPriceFen)% off"
        }
    }

    /// An itemised bill, one line per quote line, amounts right-aligned, then the total and notes.
    public func bill(_ quote: Quote) -> [String] {
        var text = [
            "Tariff \(tariff.header.id) v\(tariff.header.version): \(tariff.header.name)" + (tariff.illustrative ? " (illustrative rates)" : ""),
            "Zone class \(quote.zoneClass.rawValue), \(Self.vehicleName(quote.vehicle).lowercased())",
            "Stay \(time(quote.from)) – \(time(quote.to, after: quote.from)) (\(Self.duration(quote.to - quote.from)), \(clock.identifier))",
            "",
        ]
        let amounts = quote.lines.map { Money.display($0.amountFen) }
        let width = max(amounts.map(\.count).max() ?? 0, Money.display(quote.amountFen).count)
        for (line, amount) in zip(quote.lines, amounts) {
            text.append("  " + String(repeating: " ", count: width - amount.count) + amount + "  " + describe(line, in: quote))
        }
        text.append("  " + String(repeating: "-", count: width))
        let total = Money.display(quote.amountFen)
        text.append("  " + String(repeating: " ", count: width - total.count) + total + "  Total")
        for note in notes(quote) { text.append("Note: " + note) }
        return text
    }

    public func notes(_ quote: Quote) -> [String] {
        var notes: [String] = []
        if quote.notes.contains(.vehiclePricedAsSmall) {
            notes.append("this tariff has no rule for \(quote.vehicle.rawValue) vehicles; the base rates applied")
        }
        if quote.notes.contains(.calendarNotCovered) {
            notes.append("part of the stay is in a year the holiday calendar does not cover; those days were typed by weekday")
        }
        if quote.notes.contains(.freePeriodLost), let hours = tariff.freePeriod?.lostAfterHours {
            notes.append("stays over \(hours) h lose the free period")
        }
        return notes
    }

    /// "08:00-20:00 rate", with the day type when the class prices day types differently.
    public func windowLabel(_ line: QuoteLine, in quote: Quote) -> String {
        guard let dayType = line.dayType, let window = window(of: line, in: quote) else { return "" }
        let windows = tariff.rules(for: quote.zoneClass).windows
        let sameEveryDay = windows[0] == windows[1] && windows[1] == windows[2]
        return window.label + (sameEveryDay ? "" : " \(dayType)") + " rate"
    }

    /// "first 1 h charged", "1 h to 3 h charged", "after 3 h charged"; empty for single-tier windows.
    public func tierLabel(_ line: QuoteLine, in quote: Quote) -> String {
        guard let window = window(of: line, in: quote), case let .metered(tiers) = window.pricing, tiers.count > 1, line.tier >= 0 else { return "" }
        let tier = tiers[line.tier]
        let clock = tariff.tierClock == .charged ? "of charged time" : "since arrival"
        switch (tier.fromMinute, tier.untilMinute) {
        case (0, let until?): return "first \(Self.duration(Int64(until) * 60)) \(clock)"
        case let (from, until?): return "\(Self.duration(Int64(from) * 60)) to \(Self.duration(Int64(until) * 60)) \(clock)"
        case let (from, nil): return "after \(Self.duration(Int64(from) * 60)) \(clock)"
        }
    }

    private func window(of line: QuoteLine, in quote: Quote) -> TariffWindow? {
        guard let dayType = line.dayType, line.window >= 0 else { return nil }
        let windows = tariff.rules(for: quote.zoneClass).windows[dayType.rawValue]
        return line.window < windows.count ? windows[line.window] : nil
    }

    /// "Sat 2026-11-21 09:10", or just "09:10" / "Sun 11-22 07:00" after `after` on the same or another day.
    public func time(_ instant: Int64, after earlier: Int64? = nil) -> String {
        let local = clock.local(instant)
        let day = Int(floorDivide(local, 86_400))
        let seconds = Int(local - Int64(day) * 86_400)
        let clockText = Self.two(seconds / 3600) + ":" + Self.two(seconds / 60 % 60)
        if let earlier, clock.localDay(earlier) == day { return clockText }
        return date(day: day) + " " + clockText
    }

    public func date(day: Int) -> String {
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        return names[LocalDate.weekday(ofDay: day)] + " " + LocalDate(dayNumber: day).description
    }

    public static func duration(_ seconds: Int64) -> String {
        let minutes = seconds / 60, rest = seconds % 60
        let text: String
        if minutes >= 60 {
            text = "\(minutes / 60) h" + (minutes % 60 == 0 ? "" : " \(minutes % 60) min")
        } else {
            text = "\(minutes) min"
        }
        return rest == 0 ? text : text + " \(rest) s"
    }

    public static func vehicleName(_ vehicle: VehicleClass) -> String {
        switch vehicle {
        case .small: "Small vehicle"
        case .large: "Large vehicle"
        case .nev: "New-energy vehicle"
        case .disabled: "Disabled driver's vehicle"
        case .exempt: "Exempt vehicle"
        }
    }

    private static func two(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
