/// The concession fee (经营费): the city's share of the concessionaire's
/// revenue. Rates are marginal over tiers of the contract year's basis so
/// far, so a period owes the share of the year through its end less the share
/// through its start, and the periods of a year add up to the year's share
/// exactly. A minimum annual guarantee (保底) tops up the year's last period.
public struct RevenueShare: Sendable, Equatable {
    /// What the rates apply to.
    public enum Basis: String, Sendable, Codable, CaseIterable {
        /// 实收: received through every channel, less refunds.
        case received
        /// 应收: charged, less exemptions and discounts.
        case receivable
    }

    public struct Tier: Sendable, Equatable {
        /// The year-to-date basis (fen) up to which this rate applies; nil for the last tier.
        public var upToFen: Int?
        /// Basis points: 1250 is 12.5 %.
        public var rateBasisPoints: Int

        public init(upToFen: Int?, rateBasisPoints: Int) {
            self.upToFen = upToFen
            self.rateBasisPoints = rateBasisPoints
        }
    }

    public var basis: Basis
    /// Ascending; only the last has no upper bound.
    public var tiers: [Tier]
    public var minimumAnnualFen: Int

    public init(basis: Basis, tiers: [Tier], minimumAnnualFen: Int) {
        self.basis = basis
        self.tiers = tiers
        self.minimumAnnualFen = minimumAnnualFen
    }

    /// The share of a year-to-date basis: each tier's slice at its rate, each
    /// slice rounded to the nearest fen (halves up). Nothing is owed on a basis
    /// at or below zero.
    public func share(ofYearToDate basis: Int) -> Int {
        var share = 0
        var lower = 0
        for tier in tiers {
            guard basis > lower else { break }
            let upper = tier.upToFen.map { min($0, basis) } ?? basis
            share += Self.rounded(Int64(upper - lower) * Int64(tier.rateBasisPoints))
            lower = upper
        }
        return share
    }

    /// What one period of a contract year owes, given the year's basis before
    /// it and its own basis. When the period closes the year, any shortfall of
    /// the year's share under the guarantee is added.
    public func owed(yearToDateBefore before: Int, period: Int, closesYear: Bool) -> Owed {
        let through = share(ofYearToDate: before + period)
        let owed = through - share(ofYearToDate: before)
        let topUp = closesYear ? max(0, minimumAnnualFen - through) : 0
        return Owed(shareFen: owed, guaranteeTopUpFen: topUp, yearToDateShareFen: through)
    }

    public struct Owed: Sendable, Equatable {
        /// The period's share at the contract's rates (negative when refunds outrun receipts).
        public var shareFen: Int
        /// The guarantee's shortfall, owed with the year's last period.
        public var guaranteeTopUpFen: Int
        /// The contract year's share through the period's end.
        public var yearToDateShareFen: Int

        public var totalFen: Int { shareFen + guaranteeTopUpFen }
    }

    /// `scaled / 10_000`, rounded to the nearest fen with halves up.
    private static func rounded(_ scaled: Int64) -> Int {
        Int((scaled + 5_000) / 10_000)
    }
}
