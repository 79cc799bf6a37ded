extension RevenueReport {
    /// Builds the report from the store's sums. Every money figure is a sum of
    /// flows, so the rows of each breakdown add up to the totals exactly.
    public init(contract: ConcessionContract, period: ReportPeriod, facts: ReportFacts, clock: ZoneClock) {
        var totals = LedgerFigures()
        var byDay: [Int: LedgerFigures] = [:], byZone: [String: LedgerFigures] = [:], bySegment: [String: LedgerFigures] = [:]
        var byChannel: [PaymentChannel: LedgerFigures] = [:]
        var segmentZone: [String: String] = [:]
        var nonStop = NonStop()
        for flow in facts.flows {
            totals.add(flow.kind, fen: flow.fen, overdue: flow.overdue, entries: flow.entries)
            if flow.kind == .received {
                nonStop.allPayments += flow.entries
                if flow.nonStop {
                    nonStop.payments += flow.entries
                    nonStop.receivedFen += flow.fen
                }
            }
            byDay[flow.day, default: .init()].add(flow.kind, fen: flow.fen, overdue: flow.overdue, entries: flow.entries)
            byZone[flow.zone, default: .init()].add(flow.kind, fen: flow.fen, overdue: flow.overdue, entries: flow.entries)
            if let channel = flow.channel {
                byChannel[channel, default: .init()].add(flow.kind, fen: flow.fen, overdue: flow.overdue, entries: flow.entries)
            }
        }
        for flow in facts.segmentFlows {
            bySegment[flow.segment, default: .init()].add(flow.kind, fen: flow.fen, overdue: flow.overdue, entries: flow.entries)
            segmentZone[flow.segment] = flow.zone
        }

        // Arrears: the opening balance, then each day's changes, read at each day's end.
        var opening = 0
        var changesByDay: [Int: Int] = [:], zoneArrears: [String: Int] = [:], segmentArrears: [String: Int] = [:]
        for change in facts.arrears {
            if let day = change.day { changesByDay[day, default: 0] += change.fen } else { opening += change.fen }
            zoneArrears[change.zone, default: 0] += change.fen
        }
        for balance in facts.segmentArrears {
            segmentArrears[balance.segment, default: 0] += balance.fen
            segmentZone[balance.segment] = balance.zone
        }
        var running = opening
        var days: [Row] = []
        for day in period.days {
            running += changesByDay[day] ?? 0
            days.append(Row(key: LocalDate(dayNumber: day).description, figures: byDay[day] ?? .init(), arrearsFen: running))
        }

        let zoneKeys = Set(byZone.keys).union(zoneArrears.keys).union(facts.zones.keys).sorted()
        let segmentKeys = Set(bySegment.keys).union(segmentArrears.keys).sorted()
        let basisBefore = facts.yearBefore.basis(contract.share.basis)
        let basis = totals.basis(contract.share.basis)
        let month = period.month
        let closesMonth = period.last.day == month.dayCount

        self.init(
            contractID: contract.id, period: period, instants: period.instants(in: clock), totals: totals, arrearsOpeningFen: opening,
            arrearsClosingFen: running, days: days,
            zones: zoneKeys.map { Row(key: $0, figures: byZone[$0] ?? .init(), arrearsFen: zoneArrears[$0] ?? 0) },
            segments: segmentKeys.map { Row(key: $0, zone: segmentZone[$0], figures: bySegment[$0] ?? .init(), arrearsFen: segmentArrears[$0] ?? 0) },
            channels: PaymentChannel.allCases.compactMap { channel in byChannel[channel].map { Row(key: channel.rawValue, figures: $0, arrearsFen: 0) } },
            share: Share(
                basis: contract.share.basis, basisFen: basis, yearToDateBeforeFen: basisBefore,
                owed: contract.share.owed(yearToDateBefore: basisBefore, period: basis, closesYear: closesMonth && contract.closesYear(month)),
                due: closesMonth && contract.closesPeriod(month)
            ),
            kpis: Self.readings(contract: contract, facts: facts, totals: totals, arrearsClosing: running).map { reading in
                Assessment(reading: reading, target: contract.targets.first { $0.kpi == reading.kpi })
            },
            hourlyOccupancy: Dictionary(uniqueKeysWithValues: zoneKeys.map { zone in
                let bays = Int64(facts.zones[zone]?.bays ?? 0)
                return (zone, facts.occupancy.hourly(zone: zone).enumerated().map { hour, occupied in
                    // Hundredths of a percent, rounded: occupied over the bay time of the hour that has passed.
                    let available = bays * facts.elapsedQuarters[hour * 4..<hour * 4 + 4].reduce(0, +)
                    return available > 0 ? Int((occupied * 20_000 + available) / (available * 2)) : 0
                })
            })
        )
        self.nonStop = nonStop
    }

    static func readings(contract: ConcessionContract, facts: ReportFacts, totals: LedgerFigures, arrearsClosing: Int) -> [KPIReading] {
        let zones = facts.zones.values
        let bays = Int64(zones.reduce(0) { $0 + $1.bays })
        let days = Int64(facts.elapsedDays)
        let occupied = facts.zones.keys.reduce(Int64(0)) { $0 + facts.occupancy.occupied(zone: $1, minutes: contract.assessedMinutes) }
        // The assessed hours that have passed, in the quarters `OccupancyGrid.occupied(zone:minutes:)` reads.
        let minutes = contract.assessedMinutes
        let assessedMs = facts.elapsedQuarters[minutes.lowerBound / 15..<(minutes.upperBound + 14) / 15].reduce(0, +)
        return [
            KPIReading(kpi: .occupancyRate, numerator: occupied, denominator: bays * assessedMs),
            KPIReading(kpi: .turnover, numerator: Int64(zones.reduce(0) { $0 + $1.sessions }), denominator: bays * days),
            KPIReading(kpi: .deviceOnlineRate, numerator: facts.devices.onlineMs, denominator: facts.devices.knownMs),
            KPIReading(kpi: .plateReadRate, numerator: Int64(zones.reduce(0) { $0 + $1.cameraReads }), denominator: Int64(zones.reduce(0) { $0 + $1.cameraSessions })),
            KPIReading(
                kpi: .arrearsRecoveryRate, numerator: Int64(totals.arrearsRecoveredFen),
                denominator: Int64(totals.arrearsRecoveredFen) + Int64(max(0, arrearsClosing))
            ),
            KPIReading(kpi: .appealRate, numerator: Int64(facts.appealsFiled), denominator: Int64(facts.billsIssued)),
        ]
    }
}
