/// Prices stays under one tariff. Build it once per tariff (it holds the zone
/// clock and calendar) and call `quote` as often as needed: quoting allocates
/// two small arrays and does arithmetic on whole seconds, never on dates.
///
/// How a stay is priced, in order:
/// 1. Exempt vehicles pay nothing.
/// 2. The free period: a whole stay within it is free, or its first minutes are
///    not charged (unless the stay is longer than the period allows); then the
///    vehicle class's own free minutes.
/// 3. The rest of the stay is cut into pieces by the windows of each local day
///    (typed workday, non-workday or holiday by the calendar), and the pieces at
///    local midnights and cap-cycle boundaries.
/// 4. Metered pieces are charged in units on a grid over the tier clock; a unit
///    belongs to the piece, tier and cycle in which it starts. Flat pieces are
///    charged in blocks from the start of each window occurrence.
/// 5. Per cap cycle: the vehicle's free charged time of the day is taken off,
///    then the cap applies. Last, the vehicle's percentage discount.
public struct TariffEngine: Sendable {
    public let tariff: Tariff
    public let calendar: HolidayCalendar?
    public let clock: ZoneClock
    /// Longer stays are refused: a session that long needs a person to look at it.
    public static let maximumDays = 400
    /// The longest local day there is, 25 hours (the day clocks go back): the most a prepayment covers beyond now.
    public static let longestDayMinutes = 25 * 60

    public init(tariff: Tariff, calendar: HolidayCalendar?, clock: ZoneClock) {
        self.tariff = tariff
        self.calendar = calendar
        self.clock = clock
    }

    /// Prices the stay from `from` to `to` (UTC seconds) in a zone of `zoneClass`.
    public func quote(zoneClass: ZoneClass, vehicle: VehicleClass, from: Int64, to: Int64) throws(QuoteError) -> Quote {
        guard to >= from else { throw .endsBeforeStart }
        guard to - from <= Int64(Self.maximumDays) * 86_400 else { throw .tooLong(days: Self.maximumDays) }
        var quote = Quote(
            tariffID: tariff.header.id, tariffVersion: tariff.header.version, calendarID: calendar?.id,
            calendarVersion: calendar?.version, zoneClass: zoneClass, vehicle: vehicle, from: from, to: to,
            amountFen: 0, lines: [], notes: []
        )
        quote.lines.reserveCapacity(8)
        let (rule, defined) = tariff.rule(for: vehicle)
        if !defined && vehicle != .small && vehicle != .exempt { quote.notes.insert(.vehiclePricedAsSmall) }
        if rule.exempt {
            quote.lines.append(QuoteLine(kind: .exempt, from: from, to: to))
            return quote
        }

        var chargeFrom = from
        if let free = tariff.freePeriod {
            let length = Int64(free.minutes) * 60
            if let hours = free.lostAfterHours, to - from > Int64(hours) * 3600 {
                quote.notes.insert(.freePeriodLost)
            } else {
                switch free.scope {
                case .wholeStay where to - from <= length:
                    quote.lines.append(QuoteLine(kind: .freePeriod, from: from, to: to, unitMinutes: free.minutes))
                    return quote
                case .wholeStay:
                    break
                case .firstMinutes:
                    chargeFrom = from + length
                    quote.lines.append(QuoteLine(kind: .freePeriod, from: from, to: min(chargeFrom, to), unitMinutes: free.minutes))
                }
            }
        }
        if rule.firstMinutesFree > 0, chargeFrom < to {
            let end = from + Int64(rule.firstMinutesFree) * 60
            if end > chargeFrom {
                quote.lines.append(QuoteLine(kind: .vehicleFreeTime, from: chargeFrom, to: min(end, to), unitMinutes: rule.firstMinutesFree))
                chargeFrom = end
            }
        }
        if chargeFrom < to {
            price(tariff.rules(for: zoneClass), rule: rule, arrival: from, chargeFrom: chargeFrom, to: to, into: &quote)
        }
        quote.amountFen = quote.lines.reduce(0) { $0 + $1.amountFen }
        return quote
    }
}

extension TariffEngine {
    /// A stretch of one window occurrence inside one local day and one cap cycle.
    struct Piece {
        var from: Int64
        var to: Int64
        /// The occurrence of the window, clipped to the charged part of the stay.
        var occurrenceFrom: Int64
        var occurrenceTo: Int64
        var window: Int
        var dayType: DayType
        var day: Int
        var cycle: Int
    }

    func price(_ rules: Tariff.ClassRules, rule: VehicleRule, arrival: Int64, chargeFrom: Int64, to: Int64, into quote: inout Quote) {
        var pieces = ContiguousArray<Piece>()
        pieces.reserveCapacity(8)
        cut(rules, arrival: arrival, chargeFrom: chargeFrom, to: to, into: &pieces, notes: &quote.notes)
        if rules.capFen == nil {
            // Without a cap, cycles matter only to lines: one cycle lets a night's blocks stay on one line.
            for index in pieces.indices { pieces[index].cycle = 0 }
        }

        // Tier positions (seconds on the tier clock) for metered pieces, and each tier run's total.
        var positions = ContiguousArray<Int64>(repeating: 0, count: pieces.count)
        var runEnds = ContiguousArray<Int64>(repeating: 0, count: pieces.count)
        var runStartIndex = 0
        var position: Int64 = 0
        var runKey = Int.min
        for index in pieces.indices {
            let piece = pieces[index]
            let key = switch tariff.tiersRestart {
            case .never: 0
            case .cycle: piece.cycle
            case .day: piece.day
            }
            if key != runKey {
                for earlier in runStartIndex..<index { runEnds[earlier] = position }
                runStartIndex = index
                runKey = key
                position = 0
            }
            guard case .metered = rules.windows[piece.dayType.rawValue][piece.window].pricing else { continue }
            switch tariff.tierClock {
            case .charged:
                positions[index] = position
                position += piece.to - piece.from
            case .stay:
                let origin = runOrigin(key: key, arrival: arrival)
                positions[index] = piece.from - origin
                position = piece.to - origin
            }
        }
        for earlier in runStartIndex..<pieces.count { runEnds[earlier] = position }

        let freeSeconds = Int64(rule.freeMinutesPerDay) * 60
        var usedDay = Int.min
        var usedToday: Int64 = 0
        for index in pieces.indices {
            let piece = pieces[index]
            let window = rules.windows[piece.dayType.rawValue][piece.window]
            switch window.pricing {
            case .free:
                append(QuoteLine(kind: .freeWindow, from: piece.from, to: piece.to, dayType: piece.dayType, window: piece.window, cycle: piece.cycle), to: &quote.lines)
            case let .flat(blockMinutes, price):
                let block = Int64(blockMinutes) * 60
                let anchor = piece.occurrenceFrom
                let first = ceilDivide(piece.from - anchor, block)
                var end = ceilDivide(piece.to - anchor, block)
                if window.rounding == .completed { end = min(end, floorDivide(piece.occurrenceTo - anchor, block)) }
                let count = Int(max(0, end - first))
                let unitPrice = Money.percent(price, rule.ratePercent)
                if count > 0 {
                    append(QuoteLine(
                        kind: .flat, from: piece.from, to: piece.to, units: count, unitMinutes: blockMinutes, unitPriceFen: unitPrice,
                        amountFen: count * unitPrice, dayType: piece.dayType, window: piece.window, cycle: piece.cycle
                    ), to: &quote.lines)
                }
            case let .metered(tiers):
                if piece.day != usedDay {
                    usedDay = piece.day
                    usedToday = 0
                }
                let q0 = positions[index], q1 = q0 + (piece.to - piece.from)
                let occurrenceEnd = q0 + (piece.occurrenceTo - piece.from)
                let occurrenceStart = q0 - (piece.from - piece.occurrenceFrom)
                let freeEnd = q0 + max(0, min(q1 - q0, freeSeconds - usedToday))
                usedToday += piece.to - piece.from
                for (tierIndex, tier) in tiers.enumerated() {
                    let t0 = Int64(tier.fromMinute) * 60
                    let t1 = tier.untilMinute.map { Int64($0) * 60 } ?? Int64.max
                    let lo = max(q0, t0), hi = min(q1, t1)
                    guard lo < hi else { continue }
                    let unit = Int64(tier.unitMinutes) * 60
                    let (origin, limit): (Int64, Int64) = switch (tariff.unitScope, tariff.tierClock) {
                    case (.stay, .charged): (t0, runEnds[index])
                    case (.stay, .stay): (t0, occurrenceEnd)
                    case (.period, _): (max(t0, occurrenceStart), min(occurrenceEnd, runEnds[index]))
                    }
                    let completed = window.rounding == .completed
                    let count = Self.units(origin: origin, unit: unit, from: lo, to: hi, completedBy: completed ? limit : nil)
                    guard count > 0 else { continue }
                    let unitPrice = Money.percent(tier.priceFen, rule.ratePercent)
                    append(QuoteLine(
                        kind: .metered, from: piece.from + (lo - q0), to: piece.from + (hi - q0), units: count,
                        unitMinutes: tier.unitMinutes, unitPriceFen: unitPrice, amountFen: count * unitPrice,
                        dayType: piece.dayType, window: piece.window, tier: tierIndex, cycle: piece.cycle
                    ), to: &quote.lines)
                    if freeEnd > lo {
                        let free = Self.units(origin: origin, unit: unit, from: lo, to: min(hi, freeEnd), completedBy: completed ? limit : nil)
                        if free > 0 {
                            append(QuoteLine(
                                kind: .dailyFreeTime, from: piece.from + (lo - q0), to: piece.from + (min(hi, freeEnd) - q0), units: free,
                                unitMinutes: tier.unitMinutes, unitPriceFen: unitPrice, amountFen: -free * unitPrice,
                                dayType: piece.dayType, window: piece.window, tier: tierIndex, cycle: piece.cycle
                            ), to: &quote.lines)
                        }
                    }
                }
            }
        }
        applyCaps(rules, rule: rule, to: &quote.lines)
        if rule.percentOff > 0 {
            let charged = quote.lines.reduce(0) { $0 + $1.amountFen }
            let discount = Money.percent(charged, rule.percentOff)
            if discount > 0 {
                quote.lines.append(QuoteLine(kind: .discount, from: chargeFrom, to: to, unitPriceFen: rule.percentOff, amountFen: -discount))
            }
        }
    }

    /// Splits the charged part of the stay into window pieces, day by day.
    func cut(_ rules: Tariff.ClassRules, arrival: Int64, chargeFrom: Int64, to: Int64, into pieces: inout ContiguousArray<Piece>, notes: inout Quote.Notes) {
        let firstDay = clock.localDay(chargeFrom) - 1
        let lastDay = clock.localDay(to - 1)
        for day in firstDay...lastDay {
            let (dayType, covered) = calendar?.dayType(ofDay: day) ?? (HolidayCalendar.weekdayRule(day), tariff.calendarID == nil)
            let midnight = Int64(day) * 86_400
            for (index, window) in rules.windows[dayType.rawValue].enumerated() {
                let start = max(clock.utc(fromLocal: midnight + Int64(window.startMinute) * 60), chargeFrom)
                let end = min(clock.utc(fromLocal: midnight + Int64(window.endMinute) * 60), to)
                guard start < end else { continue }
                if !covered { notes.insert(.calendarNotCovered) }
                var cursor = start
                while cursor < end {
                    let localDay = clock.localDay(cursor)
                    var next = min(end, clock.utc(fromLocal: Int64(localDay + 1) * 86_400))
                    let cycle: Int
                    switch tariff.capPeriod {
                    case .calendarDay:
                        cycle = localDay
                    case .rolling24h:
                        let k = (cursor - arrival) / 86_400
                        cycle = Int(k)
                        next = min(next, arrival + (k + 1) * 86_400)
                    }
                    pieces.append(Piece(
                        from: cursor, to: next, occurrenceFrom: start, occurrenceTo: end, window: index, dayType: dayType,
                        day: localDay, cycle: cycle
                    ))
                    cursor = next
                }
            }
        }
    }

    /// Where the tier clock of a run reads zero.
    func runOrigin(key: Int, arrival: Int64) -> Int64 {
        switch (tariff.tiersRestart, tariff.capPeriod) {
        case (.never, _): arrival
        case (.cycle, .rolling24h): arrival + Int64(key) * 86_400
        case (.cycle, .calendarDay), (.day, _): clock.utc(fromLocal: Int64(key) * 86_400)
        }
    }

    /// The number of units of the grid `origin + k × unit` that start in `[from, to)`
    /// and, when `completedBy` is given, end by it.
    @inline(__always)
    static func units(origin: Int64, unit: Int64, from: Int64, to: Int64, completedBy limit: Int64?) -> Int {
        let first = ceilDivide(from - origin, unit)
        var end = ceilDivide(to - origin, unit)
        if let limit { end = min(end, floorDivide(limit - origin, unit)) }
        return Int(max(0, end - first))
    }

    /// Brings each cap cycle's charge down to the cap, with a line saying so.
    func applyCaps(_ rules: Tariff.ClassRules, rule: VehicleRule, to lines: inout [QuoteLine]) {
        guard let base = rules.capFen else { return }
        let cap = tariff.capScalesWithRate ? Money.percent(base, rule.ratePercent) : base
        var index = 0
        while index < lines.count {
            let cycle = lines[index].cycle
            var total = 0
            var last = index
            var first: Int?
            while last < lines.count, lines[last].cycle == cycle || !lines[last].kind.isCharge {
                if lines[last].kind.isCharge {
                    total += lines[last].amountFen
                    if first == nil { first = last }
                }
                last += 1
            }
            if total > cap, let first {
                lines.insert(QuoteLine(kind: .cap, from: lines[first].from, to: lines[last - 1].to, unitPriceFen: cap, amountFen: cap - total, cycle: cycle), at: last)
                last += 1
            }
            index = last
        }
    }

    /// Appends a line, merging it into an earlier one of the same kind, window,
    /// tier, price and cycle that it continues.
    @inline(__always)
    func append(_ line: QuoteLine, to lines: inout [QuoteLine]) {
        var index = lines.count - 1
        while index >= 0 && index >= lines.count - 3 {
            let previous = lines[index]
            // Free time belongs to no cap cycle, so it merges across midnight.
            if previous.kind == line.kind, previous.to == line.from, previous.window == line.window, previous.tier == line.tier,
               previous.unitPriceFen == line.unitPriceFen, previous.cycle == line.cycle || line.kind == .freeWindow,
               previous.dayType == line.dayType {
                lines[index].to = line.to
                lines[index].units += line.units
                lines[index].amountFen += line.amountFen
                return
            }
            index -= 1
        }
        lines.append(line)
    }
}

extension QuoteLine.Kind {
    /// Lines that count towards a cap cycle's charge.
    var isCharge: Bool {
        self == .metered || self == .flat || self == .dailyFreeTime
    }
}

@inline(__always)
func ceilDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    -floorDivide(-value, divisor)
}
