import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// A patrol officer's shift over HTTP: sign in, open a shift on a beat, walk
/// the beat's bays in order with their live state, inspect a bay and a plate,
/// take cash for an overdue bill, and close the shift against the ledger.
@Suite("Patrol shift over HTTP", .ownThread)
struct PatrolShiftTests {
    /// 2026-08-01 13:00 in Heshan.
    static let august = Date(timeIntervalSince1970: 1_785_560_400)

    @Test("A shift: sign in, walk the beat, inspect, collect cash for arrears, close with matching totals", arguments: StoreKind.testCases)
    func shift(kind: StoreKind) async throws {
        let clock = TestClock(Self.august)
        // Every read of the beat list afresh: the test looks again right after each change.
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false; $0.patrol.beatListMaxAge = 0 }) { app in
            // An old bill, left unpaid until it was referred.
            #expect(try await app.ingest(StayEvents.stay(bay: "10010043", sensor: "GM-1001-004", plate: "粤J5K321", from: "2026-08-01T08:00:00+08:00", to: "2026-08-01T10:00:00+08:00", id: "old")).status == 200)
            try await app.fuse()
            clock.advance(by: 11 * 60)
            #expect(try await app.bill().issued == 1)
            clock.now = BillingFlowTests.noon
            let arrears = try await CurbsideApp.arrearsRun(app.database, app.configuration, store: app.store).runOnce(now: Int64(clock.now.timeIntervalSince1970 * 1000))
            #expect(arrears.referred == 1)
            let finance = try await app.client(as: .finance)
            let old = try #require(try await finance.findBills(query: .init(plate: "粤J5K321", colour: .blue, reason: "test")).ok.body.json.items.first)
            let oldNumber = old.number
            let owed = old.outstandingFen

            // Staff account and sign-in.
            let newOfficer = Operations.CreateStaff.Input.Body.JsonPayload(id: "li.wei", name: "李伟", role: .patrol, password: "correct horse battery")
            _ = try await app.client(as: .admin).createStaff(body: .json(newOfficer)).created
            _ = try await app.client(as: .operator).createStaff(body: .json(.init(id: "x", name: "x", role: .patrol, password: "correct horse battery"))).forbidden
            let anyone = try await app.client()
            _ = try await anyone.staffSignIn(body: .json(.init(staffId: "li.wei", password: "wrong password!"))).unauthorized
            let signedIn = try await anyone.staffSignIn(body: .json(.init(staffId: "li.wei", password: "correct horse battery"))).ok.body.json
            #expect(signedIn.role == "patrol")
            let officer = try await app.client(token: signedIn.token)

            // The street today.
            func at(_ time: String) -> String { "2026-11-20T\(time):00+08:00" }
            let street = StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: at("11:00"), to: nil, id: "A", heartbeatsUntil: at("12:00"))
                + StayEvents.stay(bay: "10010035", sensor: "GM-1001-003", plate: nil, from: at("11:30"), to: nil, id: "B", heartbeatsUntil: at("12:00"))
                + StayEvents.stay(bay: "1001006X", sensor: "GM-1001-006", plate: "粤J22222", from: at("09:00"), to: nil, id: "C", heartbeatsUntil: at("12:00"))
                + StayEvents.stay(bay: "10010019", sensor: "GM-1001-001", plate: "粤J77777", from: "2026-11-19T20:00:00+08:00", to: nil, id: "D", heartbeatsUntil: at("12:00"))
                + StayEvents.stay(bay: "10010051", sensor: "GM-1001-005", plate: "粤J88888", from: at("09:00"), to: at("10:00"), id: "E", heartbeatsUntil: at("12:00"))
            #expect(try await app.ingest(street).status == 200)
            try await app.fuse()
            let operators = try await app.client(as: .operator)
            let pass = Components.Schemas.Permit(
                id: "MP-1", kind: .monthly, plate: "粤J22222", from: try Date(rfc3339: "2026-11-01T00:00:00+08:00"), until: try Date(rfc3339: "2026-12-01T00:00:00+08:00")
            )
            _ = try await operators.addPermit(body: .json(.init(value1: pass, value2: .init()))).created
            _ = try await operators.suspendBay(path: .init(code: "10010078"), body: .json(.init(reason: "施工占道"))).ok

            // No shift, no beat.
            #expect(try await officer.listMyBeat().notFound.body.json.code == "no_open_shift")
            _ = try await operators.createBeat(body: .json(.init(id: "B1", name: "新城路", segments: ["1001"]))).created
            _ = try await operators.createBeat(body: .json(.init(id: "B2", name: "x", segments: ["9999"]))).notFound
            // A supervisor assigns officers to beats; an officer works only those.
            #expect(try await officer.openShift(body: .json(.init(beatId: "B1"))).forbidden.body.json.code == "beat_not_assigned")
            _ = try await app.client(as: .patrol).assignBeats(path: .init(staffId: "li.wei"), body: .json(.init(beats: ["B1"]))).forbidden
            #expect(try await operators.assignBeats(path: .init(staffId: "li.wei"), body: .json(.init(beats: ["B9"]))).notFound.body.json.code == "beat_not_found")
            #expect(try await operators.assignBeats(path: .init(staffId: "li.wei"), body: .json(.init(beats: ["B1"]))).ok.body.json.beats == ["B1"])
            _ = try await officer.openShift(body: .json(.init(beatId: "B1"))).created
            #expect(try await officer.openShift(body: .json(.init(beatId: "B1"))).conflict.body.json.code == "shift_open")

            let items = try await officer.listMyBeat().ok.body.json.items
            #expect(items.count == 61 && items.map(\.order) == Array(0..<61))
            let state = Dictionary(uniqueKeysWithValues: items.map { ($0.code, $0.state) })
            #expect(state["10010027"] == .occupiedUnpaid)
            #expect(state["10010035"] == .noPlate)
            #expect(state["1001006X"] == .occupiedPaid)
            #expect(state["10010019"] == .overstay)
            #expect(state["10010051"] == .free)
            #expect(state["10010078"] == .suspended)
            #expect(state["10010086"] == .deviceFault)
            #expect(items.first { $0.code == "10010027" }?.arrearsFen == owed)

            let bay = try await officer.inspectBay(path: .init(code: "10010027")).ok.body.json
            #expect(bay.session?.id != nil)
            #expect(bay.unpaidBills.map(\.number) == [oldNumber])
            #expect(try await officer.inspectBay(path: .init(code: "10020014")).forbidden.body.json.code == "off_beat")
            let plate = try await officer.inspectPlate(path: .init(plate: "粤J22222"), query: .init(colour: .blue, reason: "pass check")).ok.body.json
            #expect(plate.permits.count == 1 && plate.parked.count == 1)
            _ = try await app.client(as: .auditor).listBeatBaysAsSupervisor(path: .init(beatId: "B1")).ok
            _ = try await officer.listBeatBaysAsSupervisor(path: .init(beatId: "B1")).forbidden

            // Cash for the arrears, with a receipt.
            let cash = try await officer.createPayment(body: .json(.init(channel: .cash, bills: [oldNumber]))).created.body.json
            #expect(cash.collectedBy == "patrol:li.wei")
            let receipt = try await anyone.getPayment(path: .init(paymentId: cash.id)).ok.body.json
            #expect(receipt.status == .paid && receipt.amountFen == owed)
            #expect(try await officer.listMyBeat().ok.body.json.items.first { $0.code == "10010027" }?.arrearsFen == 0)

            let closed = try await officer.closeMyShift(body: .json(.init(cashCountedFen: owed))).ok.body.json
            #expect(closed.cashInLedgerFen == owed && closed.cashDifferenceFen == 0)
            #expect(try await officer.getMyShift().notFound.body.json.code == "no_open_shift")
            // A second shift with nothing collected, closed with cash that is not in the ledger.
            _ = try await officer.openShift(body: .json(.init(beatId: "B1"))).created
            let short = try await officer.closeMyShift(body: .json(.init(cashCountedFen: 500))).ok.body.json
            #expect(short.cashInLedgerFen == 0 && short.cashDifferenceFen == 500)

            let audit = try await app.client(as: .auditor).listAuditLog().ok.body.json.items
            let officerActions = audit.filter { $0.actor == "li.wei" }.map(\.action)
            #expect(officerActions == ["open_shift", "plate_lookup", "collect_cash", "close_shift", "open_shift", "close_shift"])
            // The plate look-up says who, when and why.
            let lookup = try #require(audit.first { $0.action == "plate_lookup" && $0.actor == "li.wei" })
            #expect(lookup.subject == "粤J22222" && lookup.detail.additionalProperties["reason"] == "pass check" && lookup.detail.additionalProperties["beat"] == "B1")
        }
    }

    @Test("Requests for one beat share a reading for up to the configured age; inspecting a bay reads afresh", arguments: StoreKind.testCases)
    func sharedBeatList(kind: StoreKind) async throws {
        let clock = TestClock(BillingFlowTests.noon)
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false; $0.patrol.beatListMaxAge = 3_600_000 }) { app in
            let officer = try await app.client(token: try await app.openShift(officer: "zhao.lei"))
            func state(_ bay: String) async throws -> Components.Schemas.BayState? {
                try await officer.listMyBeat().ok.body.json.items.first { $0.code == bay }?.state
            }
            let before = try await state("10010027")
            #expect(before == .deviceFault)
            let parked = StayEvents.stay(bay: "10010027", sensor: "GM-1001-002", plate: "粤J5K321", from: "2026-11-20T19:00:00+08:00", to: nil, id: "A", heartbeatsUntil: "2026-11-20T19:50:00+08:00")
            #expect(try await app.ingest(parked).status == 200)
            try await app.fuse()
            // The list is the reading of a moment ago; the bay itself is read now.
            #expect(try await state("10010027") == before)
            #expect(try await officer.inspectBay(path: .init(code: "10010027")).ok.body.json.session?.plate != nil)
        }
    }
}
