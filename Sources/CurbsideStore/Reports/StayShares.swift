import CurbsideCore

/// What stays add to the report's operating sums (`StayRollups`): each stay
/// counts once on the local day it started, under its zone and whether its bay
/// has a camera (and as a camera's plate read when one confirmed it), and a
/// closed stay fills its zone's UTC quarter-hours with the milliseconds it
/// spent in each. Open stays fill none: the report reads those from the
/// sessions themselves, clipped to its end.
struct StayShares {
    struct DayKey: Hashable, Comparable {
        var day: Int
        var zone: String
        var camera: Bool

        static func < (a: DayKey, b: DayKey) -> Bool {
            (a.day, a.zone, a.camera ? 1 : 0) < (b.day, b.zone, b.camera ? 1 : 0)
        }
    }

    struct QuarterKey: Hashable, Comparable {
        var zone: String
        var quarter: Int64

        static func < (a: QuarterKey, b: QuarterKey) -> Bool { (a.zone, a.quarter) < (b.zone, b.quarter) }
    }

    /// One stay as the sums see it.
    struct Stay {
        var zone: String
        var start: Int64
        var end: Int64?
        var videoConfirmed: Bool
        var camera: Bool

        init(zone: String, start: Int64, end: Int64?, videoConfirmed: Bool, camera: Bool) {
            self.zone = zone
            self.start = start
            self.end = end
            self.videoConfirmed = videoConfirmed
            self.camera = camera
        }

        init(_ row: SessionRow, camera: Bool) {
            self.init(zone: row.zoneID, start: row.start, end: row.end, videoConfirmed: row.quality == ParkingSession.Quality.videoConfirmed.rawValue, camera: camera)
        }
    }

    var days: [DayKey: (stays: Int64, reads: Int64)] = [:]
    var quarters: [QuarterKey: Int64] = [:]
    /// Each zone's clock; a stay of a zone without one adds no day (as the ledger's sums).
    let clocks: [String: ZoneClock]

    init(clocks: [String: ZoneClock]) {
        self.clocks = clocks
    }

    /// Adds a stay's shares, or takes them back out with `sign` -1.
    mutating func add(_ stay: Stay, sign: Int64 = 1) {
        if let clock = clocks[stay.zone] {
            let key = DayKey(day: clock.localDay(stay.start / 1000), zone: stay.zone, camera: stay.camera)
            days[key, default: (0, 0)].stays += sign
            if stay.camera && stay.videoConfirmed { days[key, default: (0, 0)].reads += sign }
        }
        guard let end = stay.end, end > stay.start else { return }
        let quarter = OccupancyGrid.quarter
        var q = stay.start / quarter
        while q * quarter < end {
            let filled = min(end, (q + 1) * quarter) - max(stay.start, q * quarter)
            quarters[QuarterKey(zone: stay.zone, quarter: q), default: 0] += sign * filled
            q += 1
        }
    }

    /// The shares that change anything: a stay written again as it was adds and takes back the same.
    var changed: (days: [(DayKey, stays: Int64, reads: Int64)], quarters: [(QuarterKey, ms: Int64)]) {
        (
            days.filter { $0.value != (0, 0) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value.stays, $0.value.reads) },
            quarters.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        )
    }
}
