/// A concessionaire's report for a day or a month: the ledger summed by day,
/// zone, road segment and channel, the arrears, the share owed to the city,
/// the KPIs against the contract's targets, and occupancy by hour and zone.
public struct RevenueReport: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// A date, zone id, segment id or channel name.
        public var key: String
        /// The zone of a segment row.
        public var zone: String?
        public var figures: LedgerFigures
        /// Overdue and unpaid at the end of the row's day, or of the period.
        public var arrearsFen: Int

        public init(key: String, zone: String? = nil, figures: LedgerFigures, arrearsFen: Int) {
            self.key = key
            self.zone = zone
            self.figures = figures
            self.arrearsFen = arrearsFen
        }
    }

    public struct Share: Sendable, Equatable {
        public var basis: RevenueShare.Basis
        /// The period's basis amount.
        public var basisFen: Int
        /// The contract year's basis before the period.
        public var yearToDateBeforeFen: Int
        public var owed: RevenueShare.Owed
        /// Whether the period closes a reporting period, so the fee falls due.
        public var due: Bool
    }

    public struct Assessment: Sendable, Equatable {
        public var reading: KPIReading
        public var target: KPITarget?
        public var met: Bool? { target.flatMap { $0.isMet(by: reading) } }
    }

    public var contractID: String
    public var period: ReportPeriod
    /// UTC ms the period covers.
    public var instants: Range<Int64>
    public var totals: LedgerFigures
    public var arrearsOpeningFen: Int
    public var arrearsClosingFen: Int
    public var days: [Row]
    public var zones: [Row]
    public var segments: [Row]
    public var channels: [Row]
    public var share: Share
    public var kpis: [Assessment]
    /// Occupancy in hundredths of a percent, per zone, for each local hour 0–23.
    public var hourlyOccupancy: [String: [Int]]
    /// Payments received through non-stop deductions, against all payments received.
    public var nonStop = NonStop()

    /// How much was paid without the citizen doing anything (无感支付).
    public struct NonStop: Sendable, Equatable {
        public var receivedFen = 0
        /// Payments received (ledger entries of kind received), non-stop and all.
        public var payments = 0
        public var allPayments = 0

        public init(receivedFen: Int = 0, payments: Int = 0, allPayments: Int = 0) {
            self.receivedFen = receivedFen
            self.payments = payments
            self.allPayments = allPayments
        }

        /// The non-stop share of payments received, in hundredths of a percent, rounded; 0 with none received.
        public var share: Int { allPayments > 0 ? (payments * 20_000 + allPayments) / (allPayments * 2) : 0 }
    }
}
