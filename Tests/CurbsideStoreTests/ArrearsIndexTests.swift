@testable import CurbsideStore
import CurbsideStoreTestSupport
import CurbsideTestThreads
import FluentKit
import SQLKit
import Testing

/// The arrears round reads unpaid bills through their own index (migration
/// 0039): settled bills, most of a city's and all without a next step, must
/// not make the database read the whole table, as one condition over both
/// kinds of unpaid bill once did.
@Suite("Arrears index", .ownThread)
struct ArrearsIndexTests {
    @Test("Never-stepped and due unpaid bills are read through the unpaid bills' index in its order, among many settled bills", arguments: StoreKind.testCases)
    func plan(kind: StoreKind) async throws {
        try await TestStores.with(kind, content: .empty) { test in
            let sql = test.database.sql
            // 20,000 bills: one in a hundred unpaid, of those one in four never stepped and the rest stepped, next step at 10,000 + g.
            try await sql.raw("""
                WITH RECURSIVE n(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM n WHERE g < 20000)
                INSERT INTO bills (number, session_id, bay_code, zone_id, plate, plate_colour, start_ms, end_ms, tariff_id, tariff_version, vehicle,
                                   charge_fen, waived_fen, basis, permit_id, lines, evidence, issued_ms, due_ms, outstanding_fen, status, pay_token, next_step_ms)
                SELECT 'B' || (100000 + g), 'S' || g, '10010019', 'SP1', '粤J12345', 'blue', g, g + 1, 'heshan', 1, 'small', 500, 0, 'charged', NULL, '[]', '[]',
                       g, g + 1, CASE WHEN g % 100 = 0 THEN 500 ELSE 0 END, CASE WHEN g % 100 = 0 THEN 'unpaid' ELSE 'settled' END, 'T' || g,
                       CASE WHEN g % 100 = 0 AND g % 400 <> 0 THEN 10000 + g END
                FROM n
                """).run()
            try await sql.raw(kind == .postgres ? "ANALYZE bills" : "ANALYZE").run()

            for condition: SQLQueryString in ["next_step_ms IS NULL", "next_step_ms <= \(bind: 15_000)"] {
                let plan = try await test.plan(of: ArrearsRun.query(condition, limit: 500, locking: kind == .postgres))
                #expect(plan.contains("bills_arrears_idx"), "\(plan)")
                #expect(!plan.contains("Seq Scan on bills") && !plan.contains("Sort") && !plan.contains("TEMP B-TREE"), "\(plan)")
            }

            struct Row: Decodable { var number: String }
            let fresh = try await sql.raw(ArrearsRun.query("next_step_ms IS NULL", limit: 500, locking: false)).all(decoding: Row.self).map(\.number)
            #expect(fresh.count == 50 && fresh == fresh.sorted() && fresh.first == "B100400")
            let due = try await sql.raw(ArrearsRun.query("next_step_ms <= \(bind: 15_000)", limit: 500, locking: false)).all(decoding: Row.self).map(\.number)
            // Unpaid and stepped with g ≤ 5,000: every hundredth but the four-hundredths, by next step.
            #expect(due == stride(from: 100, through: 5_000, by: 100).filter { $0 % 400 != 0 }.map { "B\(100_000 + $0)" })
        }
    }
}
