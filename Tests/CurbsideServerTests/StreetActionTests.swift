import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import Foundation
import Testing

/// An officer's street actions over HTTP: a stay started and ended by hand on a
/// bay with a dead detector, a camera's misread corrected with a photo, and an
/// offline queue sent later in one batch (a conflict with the detector, cash
/// for a bill paid meanwhile, photos, a notice), sent twice; then the sessions
/// the fold makes of it all, their bill, and the shift closed with matching cash.
@Suite("Street actions and offline upload over HTTP")
struct StreetActionTests {
    /// 2026-11-20 08:00 in Heshan.
    static let morning = BillingFlowTests.noon.addingTimeInterval(-12 * 3600)

    static func at(_ time: String) -> String { "2026-11-20T\(time):00+08:00" }

    static func jpeg(_ text: String) -> (digest: String, bytes: Data) {
        let bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(text.utf8) + [0xFF, 0xD9]
        return (Evidence.digest(bytes), Data(bytes))
    }

    @Test("Online and offline actions, a retried batch, and the shift's cash", arguments: StoreKind.testCases)
    func streetActions(kind: StoreKind) async throws {
        let clock = TestClock(Self.morning.addingTimeInterval(-12 * 3600))
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false }) { app in
            // Yesterday's unpaid bills.
            let yesterday = StayEvents.stay(bay: "10010019", sensor: "GM-1001-001", plate: "粤J77777", from: "2026-11-19T10:00:00+08:00", to: "2026-11-19T12:00:00+08:00", id: "y1")
                + StayEvents.stay(bay: "10010019", sensor: "GM-1001-001", plate: "粤J88888", from: "2026-11-19T14:00:00+08:00", to: "2026-11-19T16:00:00+08:00", id: "y2")
                + StayEvents.stay(bay: "10010019", sensor: "GM-1001-001", plate: "粤J6K888", from: "2026-11-19T16:30:00+08:00", to: "2026-11-19T18:00:00+08:00", id: "y3")
            #expect(try await app.ingest(yesterday).status == 200)
            try await app.fuse()
            clock.now = Self.morning
            #expect(try await app.bill().issued == 3)
            func bill(_ plate: String) async throws -> (number: String, owed: Int) {
                let path = "/v1/pay/bills?plate=\(plate.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&colour=blue&reason=test"
                let item = try #require((try await app.get(path, as: .finance).json["items"] as? [[String: Any]])?.first)
                return (item["number"] as! String, item["outstanding_fen"] as! Int)
            }
            let (b77, owed77) = try await bill("粤J77777")
            let (b88, owed88) = try await bill("粤J88888")
            let (b6k, owed6k) = try await bill("粤J6K888")
            #expect(owed77 > 0 && owed88 > 0 && owed6k > 0)

            // This morning's street: a misread plate in 10010027, a short stay in 10010043, and a dead detector in 10010051.
            let officer = try await app.openShift(officer: "wang.fang")
            let photos = (1...3).map { Self.jpeg("photo \($0) of the street") }
            for photo in photos {
                #expect(try await app.request(.PUT, "/v1/gateway/images/\(photo.digest)", body: photo.bytes, contentType: "image/jpeg", token: officer).status == 201)
            }
            func send(_ actions: [[String: Any]]) async throws -> [[String: Any]] {
                let response = try await app.request(.POST, "/v1/patrol/actions", json: ["actions": actions], token: officer)
                #expect(response.status == 200, "\(response.text)")
                return response.json["results"] as? [[String: Any]] ?? []
            }
            func misread(until: String) -> [[String: any Sendable]] {
                StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: Self.at("08:05"), to: nil, id: "A", heartbeatsUntil: Self.at(until))
            }
            // Online, at the bays.
            clock.now = Self.morning.addingTimeInterval(40 * 60)
            #expect(try await app.ingest(misread(until: "08:40")).status == 200)
            let started = try await send([["id": "h-1", "kind": "session_start", "at": Self.at("08:20"), "bay": "10010051", "plate": "粤J11111", "plate_colour": "blue", "photos": [photos[0].digest]]])
            #expect(started.first?["status"] as? String == "applied" && started.first?["code"] as? String == "started")
            let corrected = try await send([["id": "h-2", "kind": "plate", "at": Self.at("08:30"), "bay": "10010027", "plate": "粤J6K888", "plate_colour": "blue", "photos": [photos[1].digest]]])
            #expect(corrected.first?["code"] as? String == "corrected")
            let refused = try await send([
                ["id": "h-3", "kind": "plate", "at": Self.at("08:31"), "bay": "10010027", "plate": "粤J6K888", "photos": [String(repeating: "e", count: 64)]],
                ["id": "h-4", "kind": "photos", "at": Self.at("08:32"), "bay": "10020014", "photos": [photos[1].digest]],
                ["id": "h-5", "kind": "session_end", "at": Self.at("07:00"), "bay": "10010051"],
                ["id": "h-6", "kind": "plate", "at": Self.at("08:33"), "bay": "10010027", "photos": [photos[1].digest]],
            ])
            #expect(refused.map { $0["status"] as? String } == ["refused", "refused", "refused", "refused"])
            #expect(refused.map { $0["code"] as? String } == ["photo_not_uploaded", "off_beat", "outside_shift", "invalid_request"])

            // Meanwhile the owner of 粤J77777 pays at the counter.
            #expect(try await app.request(.POST, "/v1/pay/payments", json: ["channel": "cash", "bills": [b77]], as: .finance).status == 201)

            // Offline: queued on the handheld, sent together once back in coverage.
            let queued: [[String: Any]] = [
                ["id": "q-1", "kind": "session_end", "at": Self.at("09:05"), "bay": "10010043"],
                ["id": "q-2", "kind": "session_end", "at": Self.at("09:10"), "bay": "10010051"],
                ["id": "q-3", "kind": "photos", "at": Self.at("09:15"), "bay": "10010027", "photos": [photos[2].digest]],
                ["id": "q-4", "kind": "cash", "at": Self.at("09:20"), "cash": [["bill": b77, "fen": owed77]]],
                ["id": "q-5", "kind": "cash", "at": Self.at("09:22"), "cash": [["bill": b88, "fen": owed88]]],
                ["id": "q-6", "kind": "notice", "at": Self.at("09:25"), "bay": "10010027"],
            ]
            clock.now = Self.morning.addingTimeInterval(100 * 60)
            let devices = misread(until: "09:40") + StayEvents.stay(bay: "10010043", sensor: "GM-1001-004", plate: nil, from: Self.at("08:10"), to: Self.at("08:50"), id: "B")
            #expect(try await app.ingest(devices).status == 200)
            let first = try await send(queued)
            #expect(first.map { $0["id"] as? String } == queued.map { $0["id"] as? String })
            #expect(first.map { "\($0["status"] as? String ?? "")/\($0["code"] as? String ?? "")" } == [
                "conflict/already_closed", "applied/ended", "applied/attached", "conflict/already_paid", "applied/collected", "applied/issued",
            ])
            #expect(first.allSatisfy { $0["replayed"] as? Bool == false })
            #expect(first[3]["refunded_fen"] as? Int == owed77 && first[4]["refunded_fen"] as? Int == 0)
            let notice = try #require(first[5]["notice_text"] as? String)
            #expect(notice.contains("粤J6K888") && notice.contains(b6k) && (first[5]["links"] as? [String])?.count == 1)
            let receipt = try await app.get("/v1/pay/payments/\(first[4]["payment_id"] as! String)")
            #expect(receipt.json["status"] as? String == "paid" && receipt.json["amount_fen"] as? Int == owed88)

            // The connection dropped before the answer arrived: the handheld sends the batch again.
            let again = try await send(queued)
            #expect(again.allSatisfy { $0["replayed"] as? Bool == true })
            for (a, b) in zip(first, again) {
                #expect(a["status"] as? String == b["status"] as? String && a["code"] as? String == b["code"] as? String)
                #expect(a["session_id"] as? String == b["session_id"] as? String && a["payment_id"] as? String == b["payment_id"] as? String)
            }
            #expect((try await app.get("/v1/pay/bills?plate=%E7%B2%A4J88888&colour=blue&reason=test", as: .finance).json["items"] as? [Any])?.isEmpty == true)

            // What the fold made of it, as the answers said.
            try await app.fuse()
            let manual = try await app.sessions(bay: "10010051")
            #expect(manual.map(\.description) == ["10010051 \(Self.at("08:20"))–\(Self.at("09:10")) 粤J11111 patrol_entered [\"patrol_confirmed\", \"patrol_ended\"]"])
            let misread = try #require(try await app.sessions(bay: "10010027").last)
            #expect(misread.plate == "粤J6K888" && misread.flags.contains("plate_corrected") && misread.flags.contains("patrol_confirmed"))
            #expect(misread.evidence.contains(photos[1].digest) && misread.evidence.contains(photos[2].digest))
            #expect(try await app.sessions(bay: "10010043").map(\.end) == [Self.at("08:50")])
            let beat = try await app.request(.GET, "/v1/patrol/beat", token: officer).json["items"] as! [[String: Any]]
            let corrected27 = try #require(beat.first { $0["code"] as? String == "10010027" })
            #expect(corrected27["plate"] as? String == "粤J6K888" && corrected27["state"] as? String == "occupied_unpaid", "\(corrected27)")
            let inspected = try await app.request(.GET, "/v1/patrol/bays/10010027", token: officer).json
            #expect((inspected["unpaid_bills"] as? [[String: Any]])?.map { $0["number"] as? String } == [b6k] && inspected["arrears_fen"] as? Int == owed6k)
            #expect(beat.first { $0["code"] as? String == "10010051" }?["state"] as? String == "device_fault")
            let sessionIDs = try await app.get("/v1/admin/sessions?bay=10010051", as: .auditor).json["items"] as! [[String: Any]]
            #expect(sessionIDs.map { $0["id"] as? String } == [started[0]["session_id"] as? String] && first[1]["session_id"] as? String == started[0]["session_id"] as? String)

            // The stay started by hand is billed like any other.
            clock.advance(by: 11 * 60)
            try await app.bill()
            let (handBill, handOwed) = try await bill("粤J11111")
            #expect(handOwed > 0 && !handBill.isEmpty)

            // The officer holds the cash of both collections; the ledger agrees.
            let closed = try await app.request(.POST, "/v1/patrol/shift/close", json: ["cash_counted_fen": owed77 + owed88], token: officer)
            #expect(closed.json["cash_in_ledger_fen"] as? Int == owed77 + owed88 && closed.json["cash_difference_fen"] as? Int == 0)
            // Sending after the shift closed needs a shift.
            let late = try await app.request(.POST, "/v1/patrol/actions", json: ["actions": queued], token: officer)
            #expect(late.errorCode == "no_open_shift")

            let audit = try await app.get("/v1/admin/audit-log", as: .auditor).json["items"] as! [[String: Any]]
            let actions = audit.filter { $0["actor"] as? String == "wang.fang" }.map { $0["action"] as! String }
            #expect(actions == [
                "open_shift", "street_session_start", "street_plate", "street_session_end", "street_session_end", "street_photos", "street_cash", "street_cash",
                "street_notice", "close_shift",
            ])
        }
    }
}
