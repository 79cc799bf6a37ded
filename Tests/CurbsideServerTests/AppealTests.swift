import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import Foundation
import Testing

/// Appeals over HTTP: a citizen disputes a bill of a plate they bound; staff
/// uphold (voiding or correcting it, refunding what was paid beyond) or reject.
@Suite("Appeals over HTTP")
struct AppealTests {
    @Test("Upheld voids a paid bill and refunds it; upheld with an amount corrects; rejected changes nothing; the ladder waits", arguments: StoreKind.testCases)
    func appeals(kind: StoreKind) async throws {
        let clock = TestClock(BillingFlowTests.noon)
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false }) { app in
            func at(_ time: String) -> String { "2026-11-20T\(time):00+08:00" }
            let events = StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: at("08:00"), to: at("10:00"), id: "A")
                + StayEvents.stay(bay: "10010043", sensor: "GM-1001-004", plate: "粤J33333", from: at("09:00"), to: at("11:00"), id: "D")
                + StayEvents.stay(bay: "10010051", sensor: "GM-1001-005", plate: "粤J44444", from: at("08:30"), to: at("11:30"), id: "E")
            #expect(try await app.ingest(events).status == 200)
            try await app.fuse()
            clock.advance(by: 11 * 60)
            #expect(try await app.bill().issued == 3)
            let bills = try await BillingFlowTests.billsByPlate(app)
            let (a, d, e) = (bills["粤J5K321"]!, bills["粤J33333"]!, bills["粤J44444"]!)
            let (numberA, numberD, numberE) = (a["number"] as! String, d["number"] as! String, e["number"] as! String)
            let citizen = try await app.token(.citizen, subject: "C-OWNER")
            for (plate, number) in [("粤J5K321", numberA), ("粤J33333", numberD), ("粤J44444", numberE)] {
                #expect(try await app.request(.POST, "/v1/citizen/plates", json: ["plate": plate, "colour": "blue", "notice_token": try await app.noticeToken(number)], token: citizen).status == 201)
            }
            #expect(try await app.request(.POST, "/v1/pay/payments", json: ["channel": "cash", "bills": [numberA]], as: .finance).status == 201)

            // A: paid, then upheld in full: voided and refunded.
            let filed = try await app.request(.POST, "/v1/citizen/appeals", json: ["bill_number": numberA, "reason": "not_my_car", "text": "车在外地"], token: citizen)
            #expect(filed.status == 201 && filed.json["status"] as? String == "in_progress")
            let appealA = try #require(filed.json["id"] as? String)
            #expect(try await app.request(.POST, "/v1/citizen/appeals", json: ["bill_number": numberA, "reason": "other", "text": "again"], token: citizen).errorCode == "appeal_open")
            let stranger = try await app.token(.citizen, subject: "C-STRANGER")
            #expect(try await app.request(.POST, "/v1/citizen/appeals", json: ["bill_number": numberA, "reason": "other", "text": "x"], token: stranger).errorCode == "not_your_bill")
            #expect(try await app.request(.POST, "/v1/admin/appeals/\(appealA)/decision", json: ["upheld": true, "note": "x"], as: .patrol).status == 403)
            let upheld = try await app.request(.POST, "/v1/admin/appeals/\(appealA)/decision", json: ["upheld": true, "note": "视频核实非本车"], as: .operator)
            #expect(upheld.status == 200 && upheld.json["corrected_fen"] as? Int == 0)
            let detailA = try await app.get("/v1/admin/bills/\(numberA)", as: .finance)
            #expect(detailA.json["status"] as? String == "void" && detailA.json["appeal"] as? String == "upheld" && detailA.json["outstanding_fen"] as? Int == 0)
            #expect((detailA.json["ledger"] as! [[String: Any]]).map { $0["kind"] as! String } == ["receivable", "received", "discount", "refund"])
            #expect((detailA.json["refunds"] as! [[String: Any]]).first?["amount_fen"] as? Int == a["amount_due_fen"] as? Int)
            #expect(try await app.request(.POST, "/v1/admin/appeals/\(appealA)/decision", json: ["upheld": false, "note": "x"], as: .operator).errorCode == "appeal_decided")

            // D: unpaid, upheld at half: it owes half.
            let chargeD = d["amount_due_fen"] as! Int
            let appealD = try #require(try await app.request(.POST, "/v1/citizen/appeals", json: ["bill_number": numberD, "reason": "sensor_fault", "text": "提前离开"], token: citizen).json["id"] as? String)
            #expect(try await app.request(.POST, "/v1/admin/appeals/\(appealD)/decision", json: ["upheld": true, "note": "核减", "corrected_fen": chargeD / 2], as: .finance).status == 200)
            let detailD = try await app.get("/v1/admin/bills/\(numberD)", as: .finance)
            #expect(detailD.json["outstanding_fen"] as? Int == chargeD / 2 && detailD.json["status"] as? String == "unpaid")
            // A correction never raises a bill; the refused decision leaves the appeal open.
            let again = try #require(try await app.request(.POST, "/v1/citizen/appeals", json: ["bill_number": numberD, "reason": "other", "text": "再申诉"], token: citizen).json["id"] as? String)
            let raise = try await app.request(.POST, "/v1/admin/appeals/\(again)/decision", json: ["upheld": true, "note": "x", "corrected_fen": chargeD], as: .finance)
            #expect(raise.status == 422 && raise.errorCode == "correction_raises")
            #expect(try await app.get("/v1/admin/appeals?status=in_progress", as: .auditor).json["items"].map { ($0 as! [Any]).count } == 1)

            // E: rejected, unchanged.
            let appealE = try #require(try await app.request(.POST, "/v1/citizen/appeals", json: ["bill_number": numberE, "reason": "wrong_plate", "text": "x"], token: citizen).json["id"] as? String)
            #expect(try await app.request(.POST, "/v1/admin/appeals/\(appealE)/decision", json: ["upheld": false, "note": "证据清晰"], as: .operator).json["status"] as? String == "rejected")
            let detailE = try await app.get("/v1/admin/bills/\(numberE)", as: .finance)
            #expect(detailE.json["outstanding_fen"] as? Int == e["amount_due_fen"] as? Int && detailE.json["appeal"] as? String == "rejected")

            // A week on: E is reminded; D, under appeal again, waits.
            clock.advance(by: 8 * 86_400)
            let round = try await CurbsideApp.arrearsRun(app.database, app.configuration, store: app.store).runOnce(now: Int64(clock.now.timeIntervalSince1970 * 1000))
            #expect(round.examined == 1 && round.steps == ["reminder_1": 1])
            let mine = try await app.request(.GET, "/v1/citizen/appeals", token: citizen)
            #expect((mine.json["items"] as? [[String: Any]])?.map { $0["status"] as! String }.sorted() == ["in_progress", "rejected", "upheld", "upheld"])
            let audit = try await app.get("/v1/admin/audit-log", as: .auditor).json["items"] as! [[String: Any]]
            #expect(audit.filter { $0["action"] as? String == "decide_appeal" }.count == 3)
        }
    }
}
