import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing

/// Numbers a request carries never trap the process and never poison what is
/// stored: the extremes of every kind (money, minutes, times, counts) get a 4xx
/// with a code, and the server answers the next request as before.
@Suite("Hostile numbers over HTTP", .ownThread)
struct EdgeArithmeticTests {
    static let extremes: [Int64] = [.max, .min, .max - 1, 1 << 53, -1]

    @Test("Overflowing minutes, money and times are refused with a code, and the server lives on", arguments: StoreKind.testCases)
    func overflow(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(BillingFlowTests.noon), configure: PaymentRulesTests.configure()) { app in
            let bills = try await PaymentRulesTests.billed(app)
            let bill = try #require(bills["粤J5K321"])
            // A car parked now, for prepaying.
            #expect(try await app.ingest(StayEvents.stay(bay: "10010051", sensor: "GM-1001-005", plate: "粤J44444", from: "2026-11-20T11:00:00+08:00", to: nil, id: "P")).status == 200)
            try await app.fuse()
            let officer = try await app.openShift()

            for value in Self.extremes + [241, 100_000] {
                let prepay = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "wechat", "bay": "10010051", "minutes_more": value])
                #expect(prepay.status == 400 && prepay.errorCode == "invalid_field", "minutes_more \(value): \(prepay.status) \(prepay.text)")
            }
            for value in Self.extremes {
                let topUp = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "wechat", "top_up_fen": value], as: .citizen)
                #expect(topUp.status == 400 && topUp.errorCode == "invalid_field", "top_up_fen \(value)")
                let close = try await app.request(.POST, "/v1/patrol/shift/close", json: ["cash_counted_fen": value], token: officer)
                #expect(close.status == 400 && close.errorCode == "invalid_field", "cash_counted_fen \(value)")
                let cash = try await app.request(.POST, "/v1/patrol/actions", json: ["actions": [
                    ["id": "cash-\(value)", "kind": "cash", "at": "2026-11-20T12:00:00+08:00", "cash": [["bill": bill.number, "fen": value]]],
                ]], token: officer)
                #expect(cash.status == 400 && cash.errorCode == "invalid_field", "cash \(value)")
                let metrics = try await app.request(.GET, "/cds/metrics/sessions?end_time=\(value)", as: .auditor, headers: [("Accept", "application/vnd.cds+csv")])
                #expect(metrics.status == 400, "end_time \(value)")
            }
            // Numbers no 64-bit integer holds, and numbers that are not integers.
            for literal in ["9223372036854775808", "-9223372036854775809", "1e400", "12.5", "1e3"] {
                let body = Data(#"{"channel":"wechat","bay":"10010051","minutes_more":\#(literal)}"#.utf8)
                let refused = try await app.request(.POST, "/v1/pay/payments", body: body)
                #expect(refused.status == 400, "\(literal): \(refused.text)")
            }
            // Two cash lines that would overflow a sum: each is bounded first.
            let sum = try await app.request(.POST, "/v1/patrol/actions", json: ["actions": [
                ["id": "sum", "kind": "cash", "at": "2026-11-20T12:00:00+08:00", "cash": [["bill": bill.number, "fen": Int64.max / 2 + 1], ["bill": bill.number, "fen": Int64.max / 2 + 1]]],
            ]], token: officer)
            #expect(sum.status == 400)
            // A stay priced across ten thousand years, and one ending before it starts.
            #expect(try await app.get("/v1/bays/10010019/quote?from=2026-11-20T09:00&until=9999-12-31T23:59").errorCode == "stay_too_long")
            #expect(try await app.get("/v1/bays/10010019/quote?from=2026-11-20T10:00&until=2026-11-20T09:00").errorCode == "stay_ends_before_start")
            // Within the contract but beyond the domain: a prepayment of more than the longest day is refused by the handler too.
            let prepaid = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "wechat", "bay": "10010051", "minutes_more": 240])
            #expect(prepaid.status == 201, "\(prepaid.text)")
            #expect(try await app.get("/healthz").status == 200)
        }
    }

    @Test("Cash on a bill paid meanwhile is owed back only up to the bill and ¥100; nothing stored breaks a sum", arguments: StoreKind.testCases)
    func cashPoisoning(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(BillingFlowTests.noon), configure: PaymentRulesTests.configure()) { app in
            let bills = try await PaymentRulesTests.billed(app)
            let bill = try #require(bills["粤J5K321"])
            #expect(try await app.request(.POST, "/v1/pay/payments", json: ["channel": "cash", "bills": [bill.number]], as: .finance).status == 201)
            let officer = try await app.openShift()
            let now = app.clock.now.formatted(.iso8601)
            func cash(_ id: String, _ fen: Int) async throws -> [String: Any] {
                let answer = try await app.request(.POST, "/v1/patrol/actions", json: ["actions": [
                    ["id": id, "kind": "cash", "at": now, "cash": [["bill": bill.number, "fen": fen]]],
                ]], token: officer)
                #expect(answer.status == 200, "\(answer.text)")
                return (answer.json["results"] as? [[String: Any]])?.first ?? [:]
            }
            // The largest amounts the contract lets through: refused for this bill, by the ledger's rule.
            for (index, fen) in [10_000_000, bill.fen + Ledger.cashExcessFen + 1].enumerated() {
                let refused = try await cash("big-\(index)", fen)
                #expect(refused["status"] as? String == "refused" && refused["code"] as? String == "cash_exceeds_bill", "\(fen): \(refused)")
            }
            // What an officer offline could really have taken: recorded, and owed back at once.
            let taken = try await cash("real", bill.fen)
            #expect(taken["status"] as? String == "conflict" && taken["refunded_fen"] as? Int == bill.fen)
            // Every sum over the ledger still answers.
            #expect(try await app.get("/v1/reports/months/2026-11", as: .finance).status == 200)
            #expect(try await app.get("/v1/reports/ledger?from=2026-11-01&to=2026-11-30&kind=received", as: .finance).status == 200)
            let closed = try await app.request(.POST, "/v1/patrol/shift/close", json: ["cash_counted_fen": bill.fen], token: officer)
            #expect(closed.status == 200 && closed.json["cash_in_ledger_fen"] as? Int == bill.fen, "\(closed.text)")
        }
    }

    @Test("The database refuses a ledger entry or payment beyond the ceiling, whatever code tries", arguments: StoreKind.testCases)
    func databaseCeiling(kind: StoreKind) async throws {
        try await withTestApp(kind, content: .empty) { app in
            let sql = app.database.sql
            for (table, columns, values) in [
                ("ledger_entries", "bill_number, kind, amount_fen, at_ms, reference", "'B', 'received', \(Ledger.maxEntryFen + 1), 0, 'x'"),
                ("ledger_entries", "bill_number, kind, amount_fen, at_ms, reference", "'B', 'received', -1, 0, 'y'"),
            ] {
                await #expect(throws: (any Error).self) {
                    try await sql.raw("INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: columns)) VALUES (\(unsafeRaw: values))").run()
                }
            }
            try await sql.raw("INSERT INTO ledger_entries (bill_number, kind, amount_fen, at_ms, reference) VALUES ('B', 'received', \(unsafeRaw: String(Ledger.maxEntryFen)), 0, 'z')").run()
        }
    }
}
