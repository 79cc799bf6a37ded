/// Reads a concession contract file. Rates and targets are written as
/// decimals ("12.5", ">= 95"), money in yuan; unknown keys are refused, as in
/// tariff files, since a misspelt key would silently change what is owed.
public struct ConcessionDocument: Decodable, Sendable {
    public let contract: ConcessionContract

    enum Keys: String, CodingKey, CaseIterable {
        case id, name, concessionaire, grantor, term, assessment
        case timeZone = "time_zone"
        case yearStarts = "contract_year_starts"
        case period = "reporting_period"
        case share = "revenue_share"
    }

    enum TermKeys: String, CodingKey, CaseIterable { case from, to }
    enum ShareKeys: String, CodingKey, CaseIterable {
        case basis, tiers
        case guarantee = "minimum_annual_guarantee"
    }
    enum TierKeys: String, CodingKey, CaseIterable {
        case rate
        case upTo = "up_to"
    }
    enum AssessmentKeys: String, CodingKey, CaseIterable { case hours, targets }
    enum HoursKeys: String, CodingKey, CaseIterable { case from, to }

    struct Tier: Decodable {
        var tier: RevenueShare.Tier

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(Set(TierKeys.allCases.map(\.rawValue)))
            let container = try decoder.container(keyedBy: TierKeys.self)
            tier = RevenueShare.Tier(upToFen: try container.moneyIfPresent(.upTo), rateBasisPoints: try container.hundredths(.rate, atMost: 10_000))
        }
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Set(Keys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: Keys.self)

        let term = try container.nestedContainer(keyedBy: TermKeys.self, forKey: .term)
        let from = try term.date(.from), until = try term.date(.to)
        guard from < until else { throw DecodingError.dataCorruptedError(forKey: .to, in: term, debugDescription: "the term ends before it starts") }

        // Required: days and months read in the wrong zone move revenue between periods.
        let timeZone = try container.decode(String.self, forKey: .timeZone)
        guard ZoneClock(identifier: timeZone) != nil else {
            throw DecodingError.dataCorruptedError(forKey: .timeZone, in: container, debugDescription: "'\(timeZone)' is not an IANA time zone")
        }
        let yearStart = try container.decodeIfPresent(Int.self, forKey: .yearStarts) ?? 1
        guard (1...12).contains(yearStart) else {
            throw DecodingError.dataCorruptedError(forKey: .yearStarts, in: container, debugDescription: "the month contract years start in, 1 to 12")
        }

        let shareContainer = try container.nestedContainer(keyedBy: ShareKeys.self, forKey: .share)
        let tiers = try shareContainer.decode([Tier].self, forKey: .tiers).map(\.tier)
        guard !tiers.isEmpty, tiers.last!.upToFen == nil, tiers.dropLast().allSatisfy({ $0.upToFen != nil }),
              zip(tiers.dropLast(), tiers.dropLast().dropFirst()).allSatisfy({ $0.upToFen! < $1.upToFen! })
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .tiers, in: shareContainer, debugDescription: "list tiers with ascending up_to amounts and a last tier without one"
            )
        }
        let share = RevenueShare(
            basis: try shareContainer.choice(.basis, default: RevenueShare.Basis.received), tiers: tiers,
            minimumAnnualFen: try shareContainer.moneyIfPresent(.guarantee) ?? 0
        )

        let assessment = try container.nestedContainer(keyedBy: AssessmentKeys.self, forKey: .assessment)
        let hours = try assessment.nestedContainer(keyedBy: HoursKeys.self, forKey: .hours)
        let start = try hours.clockMinute(.from, allowEndOfDay: false), end = try hours.clockMinute(.to, allowEndOfDay: true)
        guard start < end else { throw DecodingError.dataCorruptedError(forKey: .to, in: hours, debugDescription: "the assessed hours end before they start") }
        // Occupancy is measured in quarter-hours.
        guard start % 15 == 0, end % 15 == 0 else {
            throw DecodingError.dataCorruptedError(forKey: .from, in: hours, debugDescription: "the assessed hours start and end on a quarter-hour")
        }
        let written = try assessment.decode([String: String].self, forKey: .targets)
        let targets = try written.keys.sorted().map { name in
            guard let kpi = KPI(rawValue: name) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .targets, in: assessment, debugDescription: "unknown KPI '\(name)'; expected one of \(KPI.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            guard let target = Self.target(kpi, written[name]!) else {
                throw DecodingError.dataCorruptedError(forKey: .targets, in: assessment, debugDescription: "'\(written[name]!)' for \(name) is not a target such as '>= 95' or '<= 1.5'")
            }
            return target
        }

        contract = ConcessionContract(
            id: try container.decode(String.self, forKey: .id), name: try container.decode(String.self, forKey: .name),
            concessionaire: try container.decode(String.self, forKey: .concessionaire), grantor: try container.decode(String.self, forKey: .grantor),
            timeZone: timeZone, from: from, until: until, yearStartMonth: yearStart,
            period: try container.choice(.period, default: ConcessionContract.Period.month), share: share,
            assessedMinutes: start..<end, targets: targets.sorted { KPI.allCases.firstIndex(of: $0.kpi)! < KPI.allCases.firstIndex(of: $1.kpi)! }
        )
    }

    /// ">= 95", "<= 1.5".
    static func target(_ kpi: KPI, _ text: String) -> KPITarget? {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let comparison = KPITarget.Comparison(rawValue: String(parts[0])), let value = Money.fen(fromYuan: String(parts[1])) else {
            return nil
        }
        return KPITarget(kpi: kpi, comparison: comparison, hundredths: value)
    }
}

extension KeyedDecodingContainer {
    /// A decimal with at most two places, in hundredths: "12.5" is 1250.
    func hundredths(_ key: Key, atMost limit: Int) throws -> Int {
        let text = try decode(String.self, forKey: key)
        guard let value = Money.fen(fromYuan: text), value <= limit else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "'\(text)' is not a number from 0 to \(limit / 100) with at most two decimals")
        }
        return value
    }

    func date(_ key: Key) throws -> LocalDate {
        let text = try decode(String.self, forKey: key)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "'\(text)' is not a date written yyyy-MM-dd")
        }
        return date
    }
}
