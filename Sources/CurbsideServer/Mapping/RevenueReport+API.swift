import CurbsideAPI
import CurbsideCore
import Foundation

extension Components.Schemas.RevenueReport {
    init(_ report: RevenueReport) {
        self.init(
            contractId: report.contractID, period: report.period.description,
            from: Date(milliseconds: report.instants.lowerBound), until: Date(milliseconds: report.instants.upperBound), totals: .init(report.totals),
            arrearsOpeningFen: Int64(report.arrearsOpeningFen), arrearsClosingFen: Int64(report.arrearsClosingFen),
            days: report.days.map(Components.Schemas.ReportRow.init), zones: report.zones.map(Components.Schemas.ReportRow.init),
            segments: report.segments.map(Components.Schemas.ReportRow.init), channels: report.channels.map(Components.Schemas.ReportRow.init),
            share: .init(
                basis: .init(rawValue: report.share.basis.rawValue)!, basisFen: Int64(report.share.basisFen),
                yearToDateBeforeFen: Int64(report.share.yearToDateBeforeFen), shareFen: Int64(report.share.owed.shareFen),
                guaranteeTopUpFen: Int64(report.share.owed.guaranteeTopUpFen), owedFen: Int64(report.share.owed.totalFen),
                yearToDateShareFen: Int64(report.share.owed.yearToDateShareFen), due: report.share.due
            ),
            kpis: report.kpis.map { assessment in
                let kpi = assessment.reading.kpi
                return .init(
                    kpi: .init(rawValue: kpi.rawValue)!, numerator: assessment.reading.numerator, denominator: assessment.reading.denominator,
                    valueHundredths: assessment.reading.hundredths,
                    target: assessment.target.map { "\($0.comparison.rawValue) \(Money.yuan($0.hundredths))" }, met: assessment.met
                )
            },
            nonStop: .init(
                receivedFen: Int64(report.nonStop.receivedFen), payments: report.nonStop.payments, allPayments: report.nonStop.allPayments,
                share: report.nonStop.share
            ),
            hourlyOccupancy: .init(additionalProperties: report.hourlyOccupancy)
        )
    }
}

extension Components.Schemas.ReportFigures {
    init(_ figures: LedgerFigures) {
        self.init(
            receivableFen: Int64(figures.receivableFen), exemptionsFen: Int64(figures.exemptionsFen), discountsFen: Int64(figures.discountsFen),
            receivedFen: Int64(figures.receivedFen), refundsFen: Int64(figures.refundsFen), writeOffsFen: Int64(figures.writeOffsFen),
            arrearsRecoveredFen: Int64(figures.arrearsRecoveredFen), netReceivedFen: Int64(figures.netReceivedFen),
            netReceivableFen: Int64(figures.netReceivableFen), entries: figures.entries
        )
    }
}

extension Components.Schemas.ReportRow {
    init(_ row: RevenueReport.Row) {
        self.init(key: row.key, zone: row.zone, figures: .init(row.figures), arrearsFen: Int64(row.arrearsFen))
    }
}
