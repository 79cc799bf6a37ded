import CurbsideAPI
import CurbsideCore
import CurbsideRender
import CurbsideStore
import Foundation
import OpenAPIRuntime

extension ReportsHandler {
    func getMonthReport(_ input: Operations.GetMonthReport.Input) async throws -> Operations.GetMonthReport.Output {
        .ok(.init(body: .json(.init(try await report(.month(try Self.month(input.path.month)))))))
    }

    func getDayReport(_ input: Operations.GetDayReport.Input) async throws -> Operations.GetDayReport.Output {
        .ok(.init(body: .json(.init(try await report(.day(try Self.day(input.path.date, field: "date", code: .invalidDate)))))))
    }

    func getMonthReportCSV(_ input: Operations.GetMonthReportCSV.Input) async throws -> Operations.GetMonthReportCSV.Output {
        let report = try await report(.month(try Self.month(input.path.month)))
        let name = input.path.table.rawValue + ".csv"
        let text = ReportCSV.files(report).first { $0.name == name }!.text
        return .ok(.init(body: .csv(HTTPBody(text))))
    }

    func getMonthReportChart(_ input: Operations.GetMonthReportChart.Input) async throws -> Operations.GetMonthReportChart.Output {
        let report = try await report(.month(try Self.month(input.path.month)))
        let image = switch input.path.chart {
        case .revenue: RevenueChart.render(report)
        case .occupancy: OccupancyHeatMap.render(report)
        }
        return .ok(.init(body: .png(HTTPBody(try image.encoded()))))
    }

    func listReportEntries(_ input: Operations.ListReportEntries.Input) async throws -> Operations.ListReportEntries.Output {
        let query = input.query
        let contract = try concession
        let limit = query.limit ?? 200
        guard (1...1000).contains(limit) else { throw APIError.badRequest(RequestErrorCode.invalidLimit, "limit must be between 1 and 1000.") }
        let first = try Self.day(query.from, field: "from", code: .invalidFrom), last = try Self.day(query.to, field: "to", code: .invalidTo)
        guard first <= last, last.dayNumber - first.dayNumber < 366 else {
            throw APIError.badRequest(ReportErrorCode.invalidPeriod, "from must not be after to, and the period at most a year.")
        }
        let filter = ReportEntryFilter(
            instants: ReportPeriod(first: first, last: last).instants(in: ZoneClock(identifier: contract.timeZone)!),
            kind: LedgerEntry.Kind(rawValue: query.kind.rawValue)!, zone: query.zone, segment: query.segment,
            channel: query.channel.map { PaymentChannel(rawValue: $0.rawValue)! }, overdue: query.overdue
        )
        let found = try await ReportQueries(store: store, database: try database).entries(filter, after: query.after ?? 0, limit: limit)
        return .ok(.init(body: .json(.init(
            items: found.page.map {
                .init(
                    id: $0.id, billNumber: $0.bill, kind: .init(rawValue: $0.kind.rawValue)!, amountFen: Int64($0.amountFen), at: Date(milliseconds: $0.at),
                    reference: $0.reference, zoneId: $0.zone, segmentId: $0.segment, channel: $0.channel.map { .init(rawValue: $0.rawValue)! }
                )
            },
            sumFen: Int64(found.sumFen), count: found.count, nextAfter: found.page.count == limit ? found.page.last?.id : nil
        ))))
    }

    func getConcessionPage(_ input: Operations.GetConcessionPage.Input) async throws -> Operations.GetConcessionPage.Output {
        .ok(.init(body: .html(HTTPBody(ConcessionPage.html))))
    }

    var concession: ConcessionContract {
        get throws {
            guard let contract else {
                throw APIError(.conflict, ReportErrorCode.noConcessionContract, "No concession contract is configured (Tariffs/concession.yaml or CURBSIDE_CONCESSION_FILE).")
            }
            return contract
        }
    }

    func report(_ period: ReportPeriod) async throws -> RevenueReport {
        try await ReportQueries(store: store, database: try database).report(try concession, period: period, now: now)
    }

    static func month(_ text: String) throws -> ReportMonth {
        guard let month = ReportMonth(text) else { throw APIError.badRequest(ReportErrorCode.invalidMonth, "'\(text)' is not a month such as 2026-11.") }
        return month
    }

    static func day(_ text: String, field: String, code: ReportErrorCode) throws -> LocalDate {
        guard let day = LocalDate(text) else { throw APIError.badRequest(code, "\(field) '\(text)' is not a date such as 2026-11-20.") }
        return day
    }
}
