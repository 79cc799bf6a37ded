import CurbsideCore
import CurbsideStore
import CurbsideStoreTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing

/// Report days in a zone whose clock changes within the month: the database
/// cannot add one offset, so entries are bucketed by quarter-hour and each
/// lands on the local day it happened.
@Suite("Report days across a clock change", .ownThread)
struct ReportDayTests {
    @Test("Entries either side of Berlin's spring change fall on their local days", arguments: StoreKind.testCases)
    func springForward(kind: StoreKind) async throws {
        try await TestStores.with(kind) { test in
            let sql = test.database.sql
            let clock = try #require(ZoneClock(identifier: "Europe/Berlin"))
            // Local 28 March 23:30 (+01:00), 29 March 00:30 (+01:00) and 29 March 23:30 (+02:00), 31 March 23:59 (+02:00).
            let instants: [Int64] = [1_774_737_000_000, 1_774_740_600_000, 1_774_819_800_000, 1_774_994_340_000]
            try await sql.raw("""
                INSERT INTO bills (number, session_id, bay_code, zone_id, plate, plate_colour, start_ms, end_ms, tariff_id, tariff_version, vehicle,
                                   charge_fen, waived_fen, basis, permit_id, lines, evidence, issued_ms, due_ms, outstanding_fen, status, pay_token)
                VALUES ('B1', 'S1', '10010019', 'SP1', '粤J12345', 'blue', 0, 1, 'heshan', 1, 'small', 400, 0, 'charged', NULL, '[]', '[]', 0, \(bind: Int64.max / 2),
                        400, 'unpaid', 'T1')
                """).run()
            for (index, at) in instants.enumerated() {
                try await sql.raw("""
                    INSERT INTO ledger_entries (bill_number, kind, amount_fen, at_ms, reference) VALUES ('B1', 'receivable', \(bind: Int64(100 << index)), \(bind: at), 'issue')
                    """).run()
            }
            let march = ReportPeriod.month(ReportMonth("2026-03")!)
            // Entries written straight into the table, past the ledger's day sums: the report sums every entry.
            var queries = ReportQueries(store: test.store, database: test.database)
            queries.useRollups = false
            let facts = try await queries.facts(period: march, clock: clock, yearStart: 0, now: 1_775_000_000_000)
            let byDay = Dictionary(grouping: facts.flows, by: { LocalDate(dayNumber: $0.day).description }).mapValues { $0.reduce(0) { $0 + $1.fen } }
            #expect(byDay == ["2026-03-28": 100, "2026-03-29": 200 + 400, "2026-03-31": 800])
        }
    }
}
