import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// Appeals over HTTP: a citizen disputes a bill of a plate they bound; staff
/// uphold (voiding or correcting it, refunding what was paid beyond) or reject.
@Suite("Appeals over HTTP", .ownThread)
struct AppealTests {
    @Test("Upheld voids a paid bill and refunds it; upheld with an amount corrects; rejected changes nothing; the ladder waits", arguments: StoreKind.testCases)
    func appeals(kind: StoreKind) async throws {
        let clock = TestClock(BillingFlowTests.noon)
        try await withTestApp(kind, clock: clock, configure: { $0.backgroundJobs = false }) { app in
            let bills = try await BillingFlowTests.threeBilledStays(app, clock: clock)
            let (a, d, e) = (bills["粤J5K321"]!, bills["粤J33333"]!, bills["粤J44444"]!)
            let (numberA, numberD, numberE) = (a.number, d.number, e.number)
            let citizen = try await app.client(as: .citizen, subject: "C-OWNER")
            for (plate, number) in [("粤J5K321", numberA), ("粤J33333", numberD), ("粤J44444", numberE)] {
                _ = try await citizen.bindPlate(body: .json(.init(plate: plate, colour: .blue, noticeToken: try await app.noticeToken(number)))).created
            }
            _ = try await app.client(as: .finance).createPayment(body: .json(.init(channel: .cash, bills: [numberA]))).created
            let operators = try await app.client(as: .operator)
            let finance = try await app.client(as: .finance)
            func file(_ number: String, _ reason: Operations.FileAppeal.Input.Body.JsonPayload.ReasonPayload, _ text: String) async throws -> Operations.FileAppeal.Output {
                try await citizen.fileAppeal(body: .json(.init(billNumber: number, reason: reason, text: text)))
            }
            func decide(_ id: String, upheld: Bool, note: String, correctedFen: Int? = nil, by client: Client) async throws -> Operations.DecideAppeal.Output {
                try await client.decideAppeal(path: .init(appealId: id), body: .json(.init(upheld: upheld, note: note, correctedFen: correctedFen)))
            }

            // A: paid, then upheld in full: voided and refunded.
            let filed = try await file(numberA, .notMyCar, "车在外地").created.body.json
            #expect(filed.status == .inProgress)
            let appealA = filed.id
            #expect(try await file(numberA, .other, "again").conflict.body.json.code == "appeal_open")
            let stranger = try await app.client(as: .citizen, subject: "C-STRANGER")
            let notTheirs = try await stranger.fileAppeal(body: .json(.init(billNumber: numberA, reason: .other, text: "x")))
            #expect(try notTheirs.forbidden.body.json.code == "not_your_bill")
            _ = try await decide(appealA, upheld: true, note: "x", by: try await app.client(as: .patrol)).forbidden
            #expect(try await decide(appealA, upheld: true, note: "视频核实非本车", by: operators).ok.body.json.correctedFen == 0)
            let detailA = try await app.billDetail(numberA)
            #expect(detailA.value1.status == .void && detailA.value1.appeal == .upheld && detailA.value1.outstandingFen == 0)
            #expect(detailA.value2.ledger.map(\.kind.rawValue) == ["receivable", "received", "discount", "refund"])
            #expect(detailA.value2.refunds.first?.amountFen == a.amountDueFen)
            #expect(try await decide(appealA, upheld: false, note: "x", by: operators).conflict.body.json.code == "appeal_decided")

            // D: unpaid, upheld at half: it owes half.
            let chargeD = d.amountDueFen
            let appealD = try await file(numberD, .sensorFault, "提前离开").created.body.json.id
            _ = try await decide(appealD, upheld: true, note: "核减", correctedFen: chargeD / 2, by: finance).ok
            let detailD = try await app.billDetail(numberD)
            #expect(detailD.value1.outstandingFen == chargeD / 2 && detailD.value1.status == .unpaid)
            // A correction never raises a bill; the refused decision leaves the appeal open.
            let again = try await file(numberD, .other, "再申诉").created.body.json.id
            let raise = try await decide(again, upheld: true, note: "x", correctedFen: chargeD, by: finance)
            #expect(try raise.unprocessableContent.body.json.code == "correction_raises")
            #expect(try await app.client(as: .auditor).listAppeals(query: .init(status: .inProgress)).ok.body.json.items.count == 1)

            // E: rejected, unchanged.
            let appealE = try await file(numberE, .wrongPlate, "x").created.body.json.id
            #expect(try await decide(appealE, upheld: false, note: "证据清晰", by: operators).ok.body.json.status == .rejected)
            let detailE = try await app.billDetail(numberE)
            #expect(detailE.value1.outstandingFen == e.amountDueFen && detailE.value1.appeal == .rejected)

            // A week on: E is reminded; D, under appeal again, waits.
            clock.advance(by: 8 * 86_400)
            let round = try await CurbsideApp.arrearsRun(app.database, app.configuration, store: app.store).runOnce(now: Int64(clock.now.timeIntervalSince1970 * 1000))
            #expect(round.examined == 1 && round.steps == ["reminder_1": 1])
            let mine = try await citizen.listMyAppeals().ok.body.json.items
            #expect(mine.map(\.status.rawValue).sorted() == ["in_progress", "rejected", "upheld", "upheld"])
            let audit = try await app.client(as: .auditor).listAuditLog().ok.body.json.items
            #expect(audit.filter { $0.action == "decide_appeal" }.count == 3)
        }
    }
}
