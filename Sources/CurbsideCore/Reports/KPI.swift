/// The operating figures a concession contract assesses (考核).
public enum KPI: String, Sendable, Codable, CaseIterable {
    /// Occupied bay time over bay time in the assessed hours.
    case occupancyRate = "occupancy_rate"
    /// Stays started per bay per day.
    case turnover
    /// Device time online over device time.
    case deviceOnlineRate = "device_online_rate"
    /// Stays at camera-covered bays whose plate a camera read, over all stays there.
    case plateReadRate = "plate_read_rate"
    /// Overdue money received in the period over that plus what is still overdue at its end.
    case arrearsRecoveryRate = "arrears_recovery_rate"
    /// Appeals filed over bills issued in the period.
    case appealRate = "appeal_rate"

    /// Rates read as percentages; turnover is a plain ratio.
    public var isPercentage: Bool { self != .turnover }
}

/// One KPI worked out for a period, from its numerator and denominator.
public struct KPIReading: Sendable, Equatable {
    public var kpi: KPI
    public var numerator: Int64
    public var denominator: Int64

    public init(kpi: KPI, numerator: Int64, denominator: Int64) {
        self.kpi = kpi
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The value in hundredths (of a percent for rates), rounded half up; nil with nothing to measure.
    public var hundredths: Int? {
        guard denominator > 0 else { return nil }
        let scale: Int64 = kpi.isPercentage ? 10_000 : 100
        return Int((numerator * scale * 2 + denominator) / (denominator * 2))
    }
}

/// What the contract requires of one KPI.
public struct KPITarget: Sendable, Equatable {
    public enum Comparison: String, Sendable, Codable {
        case atLeast = ">="
        case atMost = "<="
    }

    public var kpi: KPI
    public var comparison: Comparison
    /// In the KPI's hundredths.
    public var hundredths: Int

    public init(kpi: KPI, comparison: Comparison, hundredths: Int) {
        self.kpi = kpi
        self.comparison = comparison
        self.hundredths = hundredths
    }

    /// Whether a reading meets the target; nil when there was nothing to measure.
    public func isMet(by reading: KPIReading) -> Bool? {
        reading.hundredths.map { comparison == .atLeast ? $0 >= hundredths : $0 <= hundredths }
    }
}
