/// Hourly CDS aggregates of curb places, from the stays at their bays and the
/// outages of the devices that watch them. Each place is a set of bays (a
/// zone's, a road segment's, or one bay); each bay counts toward one place.
public struct CurbAggregates: Sendable {
    /// What was counted for one place in one hour.
    public struct Cell: Sendable, Equatable {
        public var sessions = 0
        public var events = 0
        public var dwellMs: Int64 = 0
        public var endedSessions = 0
        public var occupiedMs: Int64 = 0
        /// Bay time that has elapsed: bays × the part of the hour before now.
        public var capacityMs: Int64 = 0
        /// Bay time whose device was out of contact.
        public var offlineMs: Int64 = 0
    }

    public let hours: [LocalHour]
    let placeOfBay: [String: Int]
    let now: Int64
    public private(set) var cells: [Cell]

    /// `places` lists each place's bays; `now` ends open stays and the hour under way.
    public init(places: [[String]], hours: [LocalHour], now: Int64) {
        self.hours = hours
        self.now = now
        var placeOfBay: [String: Int] = [:]
        for (index, bays) in places.enumerated() {
            for bay in bays { placeOfBay[bay] = index }
        }
        self.placeOfBay = placeOfBay
        cells = Array(repeating: Cell(), count: places.count * hours.count)
        for (place, bays) in places.enumerated() {
            for (index, hour) in hours.enumerated() {
                cells[place * hours.count + index].capacityMs = Int64(bays.count) * max(0, min(hour.end, now) - hour.start)
            }
        }
    }

    /// Counts one stay at a bay; `end` is nil while the car is still there.
    public mutating func add(bay: String, start: Int64, end: Int64?) {
        guard let place = placeOfBay[bay], !hours.isEmpty else { return }
        let base = place * hours.count
        if let index = hourIndex(containing: start) {
            cells[base + index].sessions += 1
            cells[base + index].events += 1
            if let end {
                cells[base + index].dwellMs += end - start
                cells[base + index].endedSessions += 1
            }
        }
        if let end, let index = hourIndex(containing: end) {
            cells[base + index].events += 1
        }
        spread(start..<min(end ?? now, now), into: base) { $0.occupiedMs += $1 }
    }

    /// Adds one UTC quarter-hour's figures of ended stays (all ended by now) to the place with index `place`;
    /// negated figures take stays back out.
    public mutating func add(_ figures: QuarterFigures, quarter: Int64, place: Int) {
        guard let index = hourIndex(containing: quarter * QuarterFigures.quarter) else { return }
        let cell = place * hours.count + index, starts = Int(figures.starts)
        cells[cell].sessions += starts
        cells[cell].events += starts + Int(figures.ends)
        cells[cell].dwellMs += figures.dwellMs
        cells[cell].endedSessions += starts
        cells[cell].occupiedMs += figures.occupiedMs
    }

    /// Counts time a bay's device was out of contact.
    public mutating func addOutage(bay: String, during range: Range<Int64>) {
        guard let place = placeOfBay[bay] else { return }
        spread(range.clamped(to: range.lowerBound..<max(range.lowerBound, now)), into: place * hours.count) { $0.offlineMs += $1 }
    }

    /// The index of the place a bay counts toward.
    public func place(ofBay bay: String) -> Int? {
        placeOfBay[bay]
    }

    public func cell(place: Int, hour: Int) -> Cell {
        cells[place * hours.count + hour]
    }

    /// A metric's value for a place and hour: -1 when the place's devices were out of
    /// contact for most of its bay time (CDS's mark for an offline source), nil when
    /// the hour has not begun or the metric has nothing to measure (no stay ended).
    public func value(_ metric: CurbMetric, place: Int, hour: Int) -> Double? {
        let cell = cell(place: place, hour: hour)
        guard cell.capacityMs > 0 else { return nil }
        if cell.offlineMs * 2 > cell.capacityMs { return -1 }
        switch metric {
        case .totalSessions: return Double(cell.sessions)
        case .totalEvents: return Double(cell.events)
        case .turnover: return Double(cell.sessions) * 3_600_000 / Double(cell.capacityMs)
        case .averageDwellTime: return cell.endedSessions == 0 ? nil : Double(cell.dwellMs) / Double(cell.endedSessions) / 60_000
        case .occupancyPercent: return Double(cell.occupiedMs) * 100 / Double(cell.capacityMs)
        }
    }

    /// Adds each hour's share of `range` to the place's cells.
    private mutating func spread(_ range: Range<Int64>, into base: Int, _ add: (inout Cell, Int64) -> Void) {
        guard !range.isEmpty, var index = firstHour(endingAfter: range.lowerBound) else { return }
        while index < hours.count, hours[index].start < range.upperBound {
            let overlap = min(range.upperBound, hours[index].end) - max(range.lowerBound, hours[index].start)
            if overlap > 0 { add(&cells[base + index], overlap) }
            index += 1
        }
    }

    private func hourIndex(containing instant: Int64) -> Int? {
        guard let index = firstHour(endingAfter: instant), hours[index].start <= instant else { return nil }
        return index
    }

    /// The first hour whose end lies after `instant` (hours are in order and do not overlap).
    private func firstHour(endingAfter instant: Int64) -> Int? {
        var low = 0, high = hours.count
        while low < high {
            let middle = (low + high) / 2
            if hours[middle].end <= instant { low = middle + 1 } else { high = middle }
        }
        return low < hours.count ? low : nil
    }
}
