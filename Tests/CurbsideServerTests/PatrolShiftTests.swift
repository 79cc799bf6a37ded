import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import Foundation
import Testing

/// A patrol officer's shift over HTTP: sign in, open a shift on a beat, walk
/// the beat's bays in order with their live state, inspect a bay and a plate,
/// take cash for an overdue bill, and close the shift against the ledger.
@Suite("Patrol shift over HTTP")
struct PatrolShiftTests {
    /// 2026-08-01 13:00 in Heshan.
    static let august = Date(timeIntervalSince1970: 1_785_560_400)

    @Test("A shift: sign in, walk the beat, inspect, collect cash for arrears, close with matching totals", arguments: StoreKind.testCases)
    func shift(kind: StoreKind) async throws {
        let clock = TestClock(Self.august)
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false }) { app in
            // An old bill, left unpaid until it was referred.
            #expect(try await app.ingest(StayEvents.stay(bay: "10010043", sensor: "GM-1001-004", plate: "粤J5K321", from: "2026-08-01T08:00:00+08:00", to: "2026-08-01T10:00:00+08:00", id: "old")).status == 200)
            try await app.fuse()
            clock.advance(by: 11 * 60)
            #expect(try await app.bill().issued == 1)
            clock.now = BillingFlowTests.noon
            let arrears = try await CurbsideApp.arrearsRun(app.database, app.configuration, store: app.store).runOnce(now: Int64(clock.now.timeIntervalSince1970 * 1000))
            #expect(arrears.referred == 1)
            let old = try #require((try await app.get("/v1/pay/bills?plate=%E7%B2%A4J5K321&colour=blue", as: .finance).json["items"] as? [[String: Any]])?.first)
            let oldNumber = old["number"] as! String
            let owed = old["outstanding_fen"] as! Int

            // Staff account and sign-in.
            #expect(try await app.request(.POST, "/v1/admin/staff", json: ["id": "li.wei", "name": "李伟", "role": "patrol", "password": "correct horse battery"], as: .admin).status == 201)
            #expect(try await app.request(.POST, "/v1/admin/staff", json: ["id": "x", "name": "x", "role": "patrol", "password": "correct horse battery"], as: .operator).status == 403)
            #expect(try await app.request(.POST, "/v1/staff/sign-in", json: ["staff_id": "li.wei", "password": "wrong password!"]).status == 401)
            let signedIn = try await app.request(.POST, "/v1/staff/sign-in", json: ["staff_id": "li.wei", "password": "correct horse battery"])
            #expect(signedIn.json["role"] as? String == "patrol")
            let officer = try #require(signedIn.json["token"] as? String)

            // The street today.
            func at(_ time: String) -> String { "2026-11-20T\(time):00+08:00" }
            let street = StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: at("11:00"), to: nil, id: "A", heartbeatsUntil: at("12:00"))
                + StayEvents.stay(bay: "10010035", sensor: "GM-1001-003", plate: nil, from: at("11:30"), to: nil, id: "B", heartbeatsUntil: at("12:00"))
                + StayEvents.stay(bay: "1001006X", sensor: "GM-1001-006", plate: "粤J22222", from: at("09:00"), to: nil, id: "C", heartbeatsUntil: at("12:00"))
                + StayEvents.stay(bay: "10010019", sensor: "GM-1001-001", plate: "粤J77777", from: "2026-11-19T20:00:00+08:00", to: nil, id: "D", heartbeatsUntil: at("12:00"))
                + StayEvents.stay(bay: "10010051", sensor: "GM-1001-005", plate: "粤J88888", from: at("09:00"), to: at("10:00"), id: "E", heartbeatsUntil: at("12:00"))
            #expect(try await app.ingest(street).status == 200)
            try await app.fuse()
            #expect(try await app.request(.POST, "/v1/admin/permits", json: [
                "id": "MP-1", "kind": "monthly", "plate": "粤J22222", "from": "2026-11-01T00:00:00+08:00", "until": "2026-12-01T00:00:00+08:00",
            ], as: .operator).status == 201)
            #expect(try await app.request(.POST, "/v1/admin/bays/10010078/suspend", json: ["reason": "施工占道"], as: .operator).status == 200)

            // No shift, no beat.
            #expect(try await app.request(.GET, "/v1/patrol/beat", token: officer).errorCode == "no_open_shift")
            #expect(try await app.request(.POST, "/v1/admin/beats", json: ["id": "B1", "name": "新城路", "segments": ["1001"]], as: .operator).status == 201)
            #expect(try await app.request(.POST, "/v1/admin/beats", json: ["id": "B2", "name": "x", "segments": ["9999"]], as: .operator).status == 404)
            #expect(try await app.request(.POST, "/v1/patrol/shifts", json: ["beat_id": "B1"], token: officer).status == 201)
            #expect(try await app.request(.POST, "/v1/patrol/shifts", json: ["beat_id": "B1"], token: officer).errorCode == "shift_open")

            let beat = try await app.request(.GET, "/v1/patrol/beat", token: officer)
            let items = try #require(beat.json["items"] as? [[String: Any]])
            #expect(items.count == 61 && items.map { $0["order"] as! Int } == Array(0..<61))
            let state = Dictionary(uniqueKeysWithValues: items.map { ($0["code"] as! String, $0["state"] as! String) })
            #expect(state["10010027"] == "occupied_unpaid")
            #expect(state["10010035"] == "no_plate")
            #expect(state["1001006X"] == "occupied_paid")
            #expect(state["10010019"] == "overstay")
            #expect(state["10010051"] == "free")
            #expect(state["10010078"] == "suspended")
            #expect(state["10010086"] == "device_fault")
            #expect(items.first { $0["code"] as? String == "10010027" }?["arrears_fen"] as? Int == owed)

            let bay = try await app.request(.GET, "/v1/patrol/bays/10010027", token: officer)
            #expect(bay.status == 200 && (bay.json["session"] as? [String: Any])?["id"] != nil)
            #expect((bay.json["unpaid_bills"] as? [[String: Any]])?.map { $0["number"] as! String } == [oldNumber])
            #expect(try await app.request(.GET, "/v1/patrol/bays/10020014", token: officer).errorCode == "off_beat")
            let plate = try await app.request(.GET, "/v1/patrol/plates/%E7%B2%A4J22222?colour=blue", token: officer)
            #expect((plate.json["permits"] as? [[String: Any]])?.count == 1 && (plate.json["parked"] as? [[String: Any]])?.count == 1)
            #expect(try await app.request(.GET, "/v1/admin/beats/B1/bays", as: .auditor).status == 200)
            #expect(try await app.request(.GET, "/v1/admin/beats/B1/bays", token: officer).status == 403)

            // Cash for the arrears, with a receipt.
            let cash = try await app.request(.POST, "/v1/pay/payments", json: ["channel": "cash", "bills": [oldNumber]], token: officer)
            #expect(cash.status == 201 && cash.json["collected_by"] as? String == "patrol:li.wei")
            let receipt = try await app.get("/v1/pay/payments/\(cash.json["id"] as! String)")
            #expect(receipt.json["status"] as? String == "paid" && receipt.json["amount_fen"] as? Int == owed)
            let after = try await app.request(.GET, "/v1/patrol/beat", token: officer).json["items"] as! [[String: Any]]
            #expect(after.first { $0["code"] as? String == "10010027" }?["arrears_fen"] as? Int == 0)

            let closed = try await app.request(.POST, "/v1/patrol/shift/close", json: ["cash_counted_fen": owed], token: officer)
            #expect(closed.json["cash_in_ledger_fen"] as? Int == owed && closed.json["cash_difference_fen"] as? Int == 0)
            #expect(try await app.request(.GET, "/v1/patrol/shift", token: officer).errorCode == "no_open_shift")
            // A second shift with nothing collected, closed with cash that is not in the ledger.
            #expect(try await app.request(.POST, "/v1/patrol/shifts", json: ["beat_id": "B1"], token: officer).status == 201)
            let short = try await app.request(.POST, "/v1/patrol/shift/close", json: ["cash_counted_fen": 500], token: officer)
            #expect(short.json["cash_in_ledger_fen"] as? Int == 0 && short.json["cash_difference_fen"] as? Int == 500)

            let audit = try await app.get("/v1/admin/audit-log", as: .auditor).json["items"] as! [[String: Any]]
            let officerActions = audit.filter { $0["actor"] as? String == "li.wei" }.map { $0["action"] as! String }
            #expect(officerActions == ["open_shift", "collect_cash", "close_shift", "open_shift", "close_shift"])
        }
    }
}

/// Bills moving along the arrears ladder as days pass, once each however many servers run the job.
@Suite("Arrears ladder over the store")
struct ArrearsTests {
    @Test("Reminders, make-up, final notice, overdue and referral, each once; paid bills drop out", arguments: StoreKind.testCases)
    func ladder(kind: StoreKind) async throws {
        let clock = TestClock(PatrolShiftTests.august)
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false }) { app in
            let plates = ["粤J10001", "粤J10002", "粤J10003"]
            let bays = [("10010027", "GM-1001-002"), ("10010035", "GM-1001-003"), ("10010043", "GM-1001-004")]
            let events = zip(plates, bays).flatMap { plate, bay in
                StayEvents.stay(bay: bay.0, sensor: bay.1, plate: plate, from: "2026-08-01T08:00:00+08:00", to: "2026-08-01T10:00:00+08:00", id: plate)
            }
            #expect(try await app.ingest(events).status == 200)
            try await app.fuse()
            clock.advance(by: 11 * 60)
            #expect(try await app.bill().issued == 3)
            let run = CurbsideApp.arrearsRun(app.database, app.configuration, store: app.store)
            func now() -> Int64 { Int64(clock.now.timeIntervalSince1970 * 1000) }

            clock.advance(by: 8 * 86_400)
            let first = try await run.runOnce(now: now())
            #expect(first.steps == ["reminder_1": 3] && first.notices == 3)
            #expect(try await run.runOnce(now: now()).examined == 0)

            let bills = try #require(try await app.get("/v1/admin/bills?from=2026-07-01T00:00:00Z&until=2026-09-01T00:00:00Z", as: .finance).json["items"] as? [[String: Any]])
            let paid = try #require(bills.first { $0["plate"] as? String == "粤J10003" }?["number"] as? String)
            #expect(try await app.request(.POST, "/v1/pay/payments", json: ["channel": "cash", "bills": [paid]], as: .finance).status == 201)

            // Months later, four servers run the job at once.
            clock.now = BillingFlowTests.noon
            let rounds = try await withThrowingTaskGroup(of: ArrearsRun.Round.self) { group in
                for _ in 0..<4 { group.addTask { try await run.runOnce(now: now()) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let steps = rounds.reduce(into: [String: Int]()) { $0.merge($1.steps, uniquingKeysWith: +) }
            #expect(steps == ["reminder_2": 2, "make_up": 2, "final_notice": 2, "overdue": 2, "referred": 2])
            #expect(rounds.map(\.notices).reduce(0, +) == 2 && rounds.map(\.referred).reduce(0, +) == 2)
            let after = try #require(try await app.get("/v1/admin/bills?from=2026-07-01T00:00:00Z&until=2026-09-01T00:00:00Z", as: .finance).json["items"] as? [[String: Any]])
            #expect(Dictionary(uniqueKeysWithValues: after.map { ($0["plate"] as! String, $0["arrears_stage"] as? String ?? "") })
                == ["粤J10001": "referred", "粤J10002": "referred", "粤J10003": "payment_window"])
            let unpaid = try #require(after.first { $0["plate"] as? String == "粤J10001" }?["number"] as? String)
            let notices = try await app.get("/v1/admin/bills/\(unpaid)", as: .finance).json["notices"] as! [[String: Any]]
            #expect(notices.count == 3 && (notices.last?["text"] as? String)?.contains("即将逾期") == true)
        }
    }
}

/// A plate's referred bills exported for the traffic police with their evidence.
@Suite("Enforcement cases over HTTP")
struct EnforcementCaseTests {
    @Test("Referred bills group by plate; the export carries the complete ones as JSON and CSV with image digests", arguments: StoreKind.testCases)
    func export(kind: StoreKind) async throws {
        let clock = TestClock(PatrolShiftTests.august)
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false }) { app in
            func day(_ date: String, _ time: String) -> String { "2026-\(date)T\(time):00+08:00" }
            // Two stays with full evidence, one the camera saw arrive only (two images), one weeks later.
            let weak = StayEvents.stay(bay: "10010043", sensor: "GM-1001-004", plate: "粤J10001", from: day("08-01", "11:00"), to: nil, id: "C",
                                       heartbeatsUntil: day("08-01", "12:00"))
                + [["device_id": "GM-1001-004", "event_id": "C-leave", "bay": "10010043", "time": day("08-01", "12:00"), "type": "sensor_change", "occupied": false],
                   ["device_id": "GM-1001-004", "event_id": "C-beat", "bay": "10010043", "time": day("08-01", "12:20"), "type": "heartbeat", "occupied": false]]
            let events = StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J10001", from: day("08-01", "08:00"), to: day("08-01", "10:00"), id: "A")
                + StayEvents.stay(bay: "10010035", sensor: "GM-1001-003", plate: "粤J10001", from: day("08-01", "10:30"), to: day("08-01", "12:00"), id: "B")
                + weak
            #expect(try await app.ingest(events).status == 200)
            try await app.fuse()
            clock.advance(by: 11 * 60)
            #expect(try await app.bill().issued == 3)
            clock.now = Date(timeIntervalSince1970: 1_787_554_800)  // 2026-08-24 13:00 +08
            #expect(try await app.ingest(StayEvents.stay(bay: "10010051", sensor: "GM-1001-005", plate: "粤J10001", from: day("08-24", "08:00"), to: day("08-24", "10:00"), id: "D")).status == 200)
            try await app.fuse()
            clock.advance(by: 11 * 60)
            #expect(try await app.bill().issued == 1)

            let run = CurbsideApp.arrearsRun(app.database, app.configuration, store: app.store)
            clock.now = BillingFlowTests.noon
            #expect(try await run.runOnce(now: Int64(clock.now.timeIntervalSince1970 * 1000)).referred == 3)
            let cases = try #require(try await app.get("/v1/admin/enforcement-cases", as: .finance).json["items"] as? [[String: Any]])
            #expect(cases.count == 1 && (cases[0]["bills"] as! [Any]).count == 3)
            let id = cases[0]["id"] as! String
            let owed = cases[0]["owed_fen"] as! Int

            #expect(try await app.request(.POST, "/v1/admin/enforcement-cases/\(id)/export", as: .auditor).status == 403)
            let export = try await app.request(.POST, "/v1/admin/enforcement-cases/\(id)/export", as: .operator)
            #expect(export.status == 200)
            let exported = try #require(export.json["bills"] as? [[String: Any]])
            let held = try #require(export.json["held_back"] as? [[String: Any]])
            #expect(exported.count == 2 && exported.allSatisfy { ($0["image_sha256"] as! [String]).count == 4 })
            let weakBill = try #require(held.first)
            #expect(held.count == 1 && weakBill["evidence_problems"] as? [String] == ["fewer than 3 images (2)"])
            #expect(exported.map { $0["amount_fen"] as! Int }.reduce(0, +) + (weakBill["amount_fen"] as! Int) == owed)
            let csv = try #require(export.json["csv"] as? String)
            let lines = csv.split(separator: "\n")
            #expect(lines.count == 3 && lines[0].hasPrefix("case_id,plate,plate_colour,bill_number"))
            #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("\(id),粤J10001,blue,") && $0.split(separator: ";").count == 4 })
            #expect((export.json["case"] as? [String: Any])?["status"] as? String == "exported")
            let audit = try await app.get("/v1/admin/audit-log?subject=\(id)", as: .auditor).json["items"] as! [[String: Any]]
            #expect((audit.first?["detail"] as? [String: String])?["csv_sha256"] == export.json["csv_sha256"] as? String)

            // The late bill's referral opens a new case: the exported one is closed to additions.
            clock.advance(by: 5 * 86_400)
            #expect(try await run.runOnce(now: Int64(clock.now.timeIntervalSince1970 * 1000)).referred == 1)
            let after = try await app.get("/v1/admin/enforcement-cases", as: .finance).json["items"] as! [[String: Any]]
            #expect(after.map { $0["status"] as! String } == ["exported", "open"])
        }
    }
}
