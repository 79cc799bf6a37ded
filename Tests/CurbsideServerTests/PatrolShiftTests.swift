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
        // Every read of the beat list afresh: the test looks again right after each change.
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false; $0.beatListMaxAge = 0 }) { app in
            // An old bill, left unpaid until it was referred.
            #expect(try await app.ingest(StayEvents.stay(bay: "10010043", sensor: "GM-1001-004", plate: "粤J5K321", from: "2026-08-01T08:00:00+08:00", to: "2026-08-01T10:00:00+08:00", id: "old")).status == 200)
            try await app.fuse()
            clock.advance(by: 11 * 60)
            #expect(try await app.bill().issued == 1)
            clock.now = BillingFlowTests.noon
            let arrears = try await CurbsideApp.arrearsRun(app.database, app.configuration, store: app.store).runOnce(now: Int64(clock.now.timeIntervalSince1970 * 1000))
            #expect(arrears.referred == 1)
            let old = try #require((try await app.get("/v1/pay/bills?plate=%E7%B2%A4J5K321&colour=blue&reason=test", as: .finance).json["items"] as? [[String: Any]])?.first)
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
            // A supervisor assigns officers to beats; an officer works only those.
            let unassigned = try await app.request(.POST, "/v1/patrol/shifts", json: ["beat_id": "B1"], token: officer)
            #expect(unassigned.status == 403 && unassigned.errorCode == "beat_not_assigned")
            #expect(try await app.request(.PUT, "/v1/admin/staff/li.wei/beats", json: ["beats": ["B1"]], as: .patrol).status == 403)
            #expect(try await app.request(.PUT, "/v1/admin/staff/li.wei/beats", json: ["beats": ["B9"]], as: .operator).errorCode == "beat_not_found")
            let assigned = try await app.request(.PUT, "/v1/admin/staff/li.wei/beats", json: ["beats": ["B1"]], as: .operator)
            #expect(assigned.status == 200 && assigned.json["beats"] as? [String] == ["B1"])
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
            let plate = try await app.request(.GET, "/v1/patrol/plates/%E7%B2%A4J22222?colour=blue&reason=pass%20check", token: officer)
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
            #expect(officerActions == ["open_shift", "plate_lookup", "collect_cash", "close_shift", "open_shift", "close_shift"])
            // The plate look-up says who, when and why.
            let lookup = try #require(audit.first { $0["action"] as? String == "plate_lookup" && $0["actor"] as? String == "li.wei" })
            let detail = try #require(lookup["detail"] as? [String: Any])
            #expect(lookup["subject"] as? String == "粤J22222" && detail["reason"] as? String == "pass check" && detail["beat"] as? String == "B1")
        }
    }

    @Test("Requests for one beat share a reading for up to the configured age; inspecting a bay reads afresh", arguments: StoreKind.testCases)
    func sharedBeatList(kind: StoreKind) async throws {
        let clock = TestClock(BillingFlowTests.noon)
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false; $0.beatListMaxAge = 3_600_000 }) { app in
            let officer = try await app.openShift(officer: "zhao.lei")
            func state(_ bay: String) async throws -> String? {
                let items = try await app.request(.GET, "/v1/patrol/beat", token: officer).json["items"] as? [[String: Any]]
                return items?.first { $0["code"] as? String == bay }?["state"] as? String
            }
            let before = try await state("10010027")
            #expect(before == "device_fault")
            let parked = StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: "2026-11-20T19:00:00+08:00", to: nil, id: "A", heartbeatsUntil: "2026-11-20T19:50:00+08:00")
            #expect(try await app.ingest(parked).status == 200)
            try await app.fuse()
            // The list is the reading of a moment ago; the bay itself is read now.
            #expect(try await state("10010027") == before)
            let bay = try await app.request(.GET, "/v1/patrol/bays/10010027", token: officer).json
            #expect((bay["session"] as? [String: Any])?["plate"] != nil)
        }
    }
}
