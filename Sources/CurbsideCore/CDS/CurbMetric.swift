/// The metrics of the CDS Metrics methodology, as Curbside computes them for
/// a curb place (a group of bays) in one local hour.
public enum CurbMetric: String, CaseIterable, Sendable {
    /// Stays that started in the hour.
    case totalSessions = "total_sessions"
    /// Stays that started plus stays that ended in the hour (park_start and park_end events).
    case totalEvents = "total_events"
    /// Stays started per bay per hour: `count[sessions]/hour`, per space so places of different sizes compare.
    case turnover
    /// Mean length, in minutes, of the stays that started in the hour and have ended.
    case averageDwellTime = "average_dwell_time"
    /// Occupied bay time over available bay time, as a percentage.
    case occupancyPercent = "occupancy_percent"
}
