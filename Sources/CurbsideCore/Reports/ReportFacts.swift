/// What the store reads for a report, already summed: the report is built
/// from these by pure code, so what it shows is tested without a database.
public struct ReportFacts: Sendable, Equatable {
    /// Ledger entries of the period summed by local day, zone, channel, kind and whether the bill was overdue.
    public struct Flow: Sendable, Equatable {
        public var day: Int
        public var zone: String
        /// The payment channel of money received or refunded; nil for other kinds.
        public var channel: PaymentChannel?
        public var kind: LedgerEntry.Kind
        public var overdue: Bool
        public var fen: Int
        public var entries: Int
        /// Money received through a non-stop deduction (无感支付).
        public var nonStop: Bool

        public init(day: Int, zone: String, channel: PaymentChannel?, kind: LedgerEntry.Kind, overdue: Bool, fen: Int, entries: Int, nonStop: Bool = false) {
            self.nonStop = nonStop
            self.day = day
            self.zone = zone
            self.channel = channel
            self.kind = kind
            self.overdue = overdue
            self.fen = fen
            self.entries = entries
        }
    }

    /// The same entries summed over the whole period by road segment (a city has
    /// thousands: by segment and day they would be a hundred times as many rows).
    public struct SegmentFlow: Sendable, Equatable {
        public var zone: String
        public var segment: String
        public var kind: LedgerEntry.Kind
        public var overdue: Bool
        public var fen: Int
        public var entries: Int

        public init(zone: String, segment: String, kind: LedgerEntry.Kind, overdue: Bool, fen: Int, entries: Int) {
            self.zone = zone
            self.segment = segment
            self.kind = kind
            self.overdue = overdue
            self.fen = fen
            self.entries = entries
        }
    }

    /// A change in overdue balances: each ledger entry of an overdue bill counts
    /// from the later of its own time and the bill's due time. `day` nil is
    /// everything before the period (the opening arrears).
    public struct ArrearsChange: Sendable, Equatable {
        public var day: Int?
        public var zone: String
        public var fen: Int

        public init(day: Int?, zone: String, fen: Int) {
            self.day = day
            self.zone = zone
            self.fen = fen
        }
    }

    /// A road segment's overdue balance at the period's end.
    public struct SegmentArrears: Sendable, Equatable {
        public var zone: String
        public var segment: String
        public var fen: Int

        public init(zone: String, segment: String, fen: Int) {
            self.zone = zone
            self.segment = segment
            self.fen = fen
        }
    }

    /// One zone's stays and bays.
    public struct ZoneActivity: Sendable, Equatable {
        public var bays = 0
        /// Stays that started in the period.
        public var sessions = 0
        public var cameraSessions = 0
        /// Of those at camera bays, the ones a camera read the plate of.
        public var cameraReads = 0

        public init(bays: Int = 0, sessions: Int = 0, cameraSessions: Int = 0, cameraReads: Int = 0) {
            self.bays = bays
            self.sessions = sessions
            self.cameraSessions = cameraSessions
            self.cameraReads = cameraReads
        }
    }

    public var flows: [Flow] = []
    public var segmentFlows: [SegmentFlow] = []
    public var arrears: [ArrearsChange] = []
    public var segmentArrears: [SegmentArrears] = []
    /// The contract year's ledger before the period, for the share's tiers.
    public var yearBefore = LedgerFigures()
    public var zones: [String: ZoneActivity] = [:]
    public var occupancy = OccupancyGrid()
    public var devices = DeviceUptime()
    public var appealsFiled = 0
    public var billsIssued = 0
    /// Days of the period that have begun (the rest lie in the future).
    public var elapsedDays = 0
    /// Milliseconds passed of each local quarter-hour of the day over the period (`ReportPeriod.elapsedQuarters`).
    public var elapsedQuarters = Array(repeating: Int64(0), count: 96)

    public init() {}
}
