import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import OpenAPIRuntime
import Testing

/// An officer's street actions over HTTP: a stay started and ended by hand on a
/// bay with a dead detector, a camera's misread corrected with a photo, and an
/// offline queue sent later in one batch (a conflict with the detector, cash
/// for a bill paid meanwhile, photos, a notice), sent twice; then the sessions
/// the fold makes of it all, their bill, and the shift closed with matching cash.
@Suite("Street actions and offline upload over HTTP", .ownThread)
struct StreetActionTests {
    /// 2026-11-20 08:00 in Heshan.
    static let morning = BillingFlowTests.noon.addingTimeInterval(-12 * 3600)

    static func at(_ time: String) -> String { "2026-11-20T\(time):00+08:00" }

    /// An action of the handheld's queue.
    static func action(
        _ id: String, _ kind: Components.Schemas.StreetAction.KindPayload, _ time: String, bay: String? = nil, plate: String? = nil,
        colour: Components.Schemas.PlateColour? = nil, photos: [String]? = nil, cash: [(bill: String, fen: Int)]? = nil
    ) throws -> Components.Schemas.StreetAction {
        .init(id: id, kind: kind, at: try Date(rfc3339: at(time)), bay: bay, plate: plate, plateColour: colour, photos: photos,
              cash: cash.map { $0.map { .init(bill: $0.bill, fen: $0.fen) } })
    }

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
            let finance = try await app.client(as: .finance)
            let bill: (String) async throws -> (number: String, owed: Int) = { plate in
                let found = try await finance.findBills(query: .init(plate: plate, colour: .blue, reason: "test")).ok.body.json.items
                guard let item = found.first else { throw TestPostgresError("no bill for \(plate)") }
                return (item.number, item.outstandingFen)
            }
            let (b77, owed77) = try await bill("粤J77777")
            let (b88, owed88) = try await bill("粤J88888")
            let (b6k, owed6k) = try await bill("粤J6K888")
            #expect(owed77 > 0 && owed88 > 0 && owed6k > 0)

            // This morning's street: a misread plate in 10010027, a short stay in 10010043, and a dead detector in 10010051.
            let officer = try await app.client(token: try await app.openShift(officer: "wang.fang"))
            let photos = (1...3).map { Self.jpeg("photo \($0) of the street") }
            for photo in photos {
                _ = try await officer.uploadEvidenceImage(path: .init(sha256: photo.digest), body: .jpeg(HTTPBody(photo.bytes))).created
            }
            let send: ([Components.Schemas.StreetAction]) async throws -> [Components.Schemas.StreetActionResult] = { actions in
                try await officer.uploadStreetActions(body: .json(.init(actions: actions))).ok.body.json.results
            }
            func misread(until: String) -> [[String: any Sendable]] {
                StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: Self.at("08:05"), to: nil, id: "A", heartbeatsUntil: Self.at(until))
            }
            // Online, at the bays.
            clock.now = Self.morning.addingTimeInterval(40 * 60)
            #expect(try await app.ingest(misread(until: "08:40")).status == 200)
            let started = try await send([Self.action("h-1", .sessionStart, "08:20", bay: "10010051", plate: "粤J11111", colour: .blue, photos: [photos[0].digest])])
            #expect(started.first?.status == .applied && started.first?.code == "started")
            let corrected = try await send([Self.action("h-2", .plate, "08:30", bay: "10010027", plate: "粤J6K888", colour: .blue, photos: [photos[1].digest])])
            #expect(corrected.first?.code == "corrected")
            let refused = try await send([
                Self.action("h-3", .plate, "08:31", bay: "10010027", plate: "粤J6K888", photos: [String(repeating: "e", count: 64)]),
                Self.action("h-4", .photos, "08:32", bay: "10020014", photos: [photos[1].digest]),
                Self.action("h-5", .sessionEnd, "07:00", bay: "10010051"),
                Self.action("h-6", .plate, "08:33", bay: "10010027", photos: [photos[1].digest]),
            ])
            #expect(refused.map(\.status) == [.refused, .refused, .refused, .refused])
            #expect(refused.map(\.code) == ["photo_not_uploaded", "off_beat", "outside_shift", "invalid_request"])

            // Meanwhile the owner of 粤J77777 pays at the counter.
            _ = try await finance.createPayment(body: .json(.init(channel: .cash, bills: [b77]))).created

            // Offline: queued on the handheld, sent together once back in coverage.
            let queued = [
                try Self.action("q-1", .sessionEnd, "09:05", bay: "10010043"),
                try Self.action("q-2", .sessionEnd, "09:10", bay: "10010051"),
                try Self.action("q-3", .photos, "09:15", bay: "10010027", photos: [photos[2].digest]),
                try Self.action("q-4", .cash, "09:20", cash: [(b77, owed77)]),
                try Self.action("q-5", .cash, "09:22", cash: [(b88, owed88)]),
                try Self.action("q-6", .notice, "09:25", bay: "10010027"),
            ]
            clock.now = Self.morning.addingTimeInterval(100 * 60)
            let devices = misread(until: "09:40") + StayEvents.stay(bay: "10010043", sensor: "GM-1001-004", plate: nil, from: Self.at("08:10"), to: Self.at("08:50"), id: "B")
            #expect(try await app.ingest(devices).status == 200)
            let first = try await send(queued)
            #expect(first.map(\.id) == queued.map(\.id))
            #expect(first.map { "\($0.status.rawValue)/\($0.code)" } == [
                "conflict/already_closed", "applied/ended", "applied/attached", "conflict/already_paid", "applied/collected", "applied/issued",
            ])
            #expect(first.allSatisfy { !$0.replayed })
            #expect(first[3].refundedFen == owed77 && first[4].refundedFen == 0)
            let notice = try #require(first[5].noticeText)
            #expect(notice.contains("粤J6K888") && notice.contains(b6k) && first[5].links?.count == 1)
            let receipt = try await app.client().getPayment(path: .init(paymentId: try #require(first[4].paymentId))).ok.body.json
            #expect(receipt.status == .paid && receipt.amountFen == owed88)

            // The connection dropped before the answer arrived: the handheld sends the batch again.
            let again = try await send(queued)
            #expect(again.allSatisfy { $0.replayed })
            for (a, b) in zip(first, again) {
                #expect(a.status == b.status && a.code == b.code && a.sessionId == b.sessionId && a.paymentId == b.paymentId)
            }
            #expect(try await finance.findBills(query: .init(plate: "粤J88888", colour: .blue, reason: "test")).ok.body.json.items.isEmpty)

            // What the fold made of it, as the answers said.
            try await app.fuse()
            let manual = try await app.sessions(bay: "10010051")
            #expect(manual.map(\.description) == ["10010051 \(Self.at("08:20"))–\(Self.at("09:10")) 粤J11111 patrol_entered [\"patrol_confirmed\", \"patrol_ended\"]"])
            let misread = try #require(try await app.sessions(bay: "10010027").last)
            #expect(misread.plate == "粤J6K888" && misread.flags.contains("plate_corrected") && misread.flags.contains("patrol_confirmed"))
            #expect(misread.evidence.contains(photos[1].digest) && misread.evidence.contains(photos[2].digest))
            #expect(try await app.sessions(bay: "10010043").map(\.end) == [Self.at("08:50")])
            let beat = try await officer.listMyBeat().ok.body.json.items
            let corrected27 = try #require(beat.first { $0.code == "10010027" })
            #expect(corrected27.plate == "粤J6K888" && corrected27.state == .occupiedUnpaid, "\(corrected27)")
            let inspected = try await officer.inspectBay(path: .init(code: "10010027")).ok.body.json
            #expect(inspected.unpaidBills.map(\.number) == [b6k] && inspected.arrearsFen == owed6k)
            #expect(beat.first { $0.code == "10010051" }?.state == .deviceFault)
            let sessionIDs = try await app.client(as: .auditor).listSessions(query: .init(bay: "10010051")).ok.body.json.items.map(\.id)
            #expect(sessionIDs == [started[0].sessionId] && first[1].sessionId == started[0].sessionId)

            // The stay started by hand is billed like any other.
            clock.advance(by: 11 * 60)
            try await app.bill()
            let (handBill, handOwed) = try await bill("粤J11111")
            #expect(handOwed > 0 && !handBill.isEmpty)

            // The officer holds the cash of both collections; the ledger agrees.
            let closed = try await officer.closeMyShift(body: .json(.init(cashCountedFen: owed77 + owed88))).ok.body.json
            #expect(closed.cashInLedgerFen == owed77 + owed88 && closed.cashDifferenceFen == 0)
            // Sending after the shift closed needs a shift.
            #expect(try await officer.uploadStreetActions(body: .json(.init(actions: queued))).notFound.body.json.code == "no_open_shift")

            let audit = try await app.client(as: .auditor).listAuditLog().ok.body.json.items
            let actions = audit.filter { $0.actor == "wang.fang" }.map(\.action)
            #expect(actions == [
                "open_shift", "street_session_start", "street_plate", "street_session_end", "street_session_end", "street_photos", "street_cash", "street_cash",
                "street_notice", "close_shift",
            ])
        }
    }
}
