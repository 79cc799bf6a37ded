import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// Non-stop payment by Alipay's parking deduction (支付宝停车代扣) over real
/// HTTP, through the Alipay simulator's parking platform: the agreement
/// checked at set-up, each stay synced in while parked, synced out and
/// charged at its bill, the paid order synced; a refused charge falling back
/// to the notice; an unanswered charge found by asking; and the pay page of
/// a car Alipay's car-owner pages name.
@Suite("Alipay parking deduction", .ownThread)
struct AlipayParkingTests {
    static func configure(_ configuration: inout CurbsideConfiguration) {
        configuration.channels.alipayParkingID = AlipaySimulator.parkingID
    }

    @Test("Signed plates pay by themselves at departure; a refused charge falls back with the reason; a lost answer is asked about", arguments: StoreKind.testCases)
    func deduction(kind: StoreKind) async throws {
        try await ChannelOrderTests.withChannels(kind, configure: Self.configure) { app, _, alipay in
            let (a, b, _) = try await AutoPayTests.citizens(app)
            let unsigned = try await a.setAutoPay(path: .init(plate: "粤J5K321"), body: .json(.init(colour: .blue, method: .alipay)))
            #expect(try unsigned.conflict.body.json.code == "parking_service_not_open")
            alipay.parking.sign(plate: "粤J5K321")
            alipay.parking.sign(plate: "粤J33333")
            for (client, plate) in [(a, "粤J5K321"), (b, "粤J33333")] {
                #expect(try await client.setAutoPay(path: .init(plate: plate), body: .json(.init(colour: .blue, method: .alipay))).ok.body.json.autoPay == .alipay)
            }
            alipay.parking.failingPlates = ["粤J33333"]

            // Parked: the stay is synced in, and Alipay says the agreement is signed.
            try await AutoPayTests.park(app, "粤J5K321", id: "AL1", from: "2026-11-20T12:00:00+08:00", to: nil)
            #expect(try await AutoPayTests.autoPay(app).entered == 1)
            let stay = try #require(alipay.parking.allStays.first { $0.plate == "粤J5K321" })
            #expect(stay.inTime == "2026-11-20 12:00:00" && stay.outTime == nil)

            let paid = try #require(try await AutoPayTests.park(app, "粤J5K321", id: "AL1", from: "2026-11-20T12:00:00+08:00", to: "2026-11-20T14:00:00+08:00"))
            let refused = try #require(try await AutoPayTests.park(app, "粤J33333", id: "AL2", from: "2026-11-20T12:30:00+08:00", to: "2026-11-20T14:30:00+08:00"))
            let round = try await AutoPayTests.autoPay(app)
            #expect(round.asked == 2 && round.succeeded == 1 && round.failed == 1)

            let detail = try await app.billDetail(paid)
            #expect(detail.value1.status == .settled && detail.value2.autoDebit?.method == .alipay && detail.value2.autoDebit?.state == .succeeded)
            let payment = try #require(detail.value2.ledger.first { $0.kind == .received }?.reference)
            let trade = try #require(alipay.trade(payment))
            #expect(trade.status == .success && trade.amountFen == detail.value1.amountDueFen)
            // Synced out with its time, and the paid order synced to the owner's Alipay parking records under Alipay's trade.
            #expect(alipay.parking.allStays.first { $0.serialNo == stay.serialNo }?.outTime == "2026-11-20 14:00:00")
            #expect(alipay.parking.syncedOrder(payment) == trade.tradeNo)
            #expect(detail.value2.notices.map(\.kind) == [.autoDebitDone])

            let failed = try await app.billDetail(refused)
            #expect(failed.value1.status == .unpaid && failed.value2.autoDebit?.state == .failed)
            #expect(failed.value2.autoDebit?.failure?.contains("ACQ.BUYER_BALANCE_NOT_ENOUGH") == true)
            #expect(failed.value2.notices.map(\.kind) == [.autoDebitFailed])

            // The charge is made but its answer lost: the next round asks Alipay, finds it paid, and charges nothing twice.
            alipay.parking.losesPaymentAnswerOnce = true
            let lost = try #require(try await AutoPayTests.park(app, "粤J5K321", id: "AL3", from: "2026-11-20T15:00:00+08:00", to: "2026-11-20T17:00:00+08:00"))
            #expect(try await AutoPayTests.autoPay(app).succeeded == 0)
            #expect(try await app.billDetail(lost).value2.autoDebit?.state == .pending)
            app.clock.advance(by: 120)
            #expect(try await AutoPayTests.autoPay(app).succeeded == 1)
            let recovered = try await app.billDetail(lost)
            #expect(recovered.value1.status == .settled && recovered.value2.ledger.filter { $0.kind == .received }.count == 1)
        }
    }

    @Test("The pay page of a car Alipay's car-owner pages name: its plate's unpaid bills, masked; an unknown car 404", arguments: StoreKind.testCases)
    func vehicle(kind: StoreKind) async throws {
        try await ChannelOrderTests.withChannels(kind, configure: Self.configure) { app, _, alipay in
            let bills = try await PaymentRulesTests.billed(app)
            alipay.parking.addVehicle(carID: "CAR-88", plate: "粤J33333")
            let found = try await app.client().findAlipayVehicleBills(path: .init(carId: "CAR-88")).ok.body.json
            let bill = try #require(bills["粤J33333"])
            #expect(found.items.map(\.number) == [bill.number] && found.totalDueFen == bill.fen)
            #expect(found.items.first?.plate != "粤J33333", "masked for an anonymous caller")
            let unknown = try await app.client().findAlipayVehicleBills(path: .init(carId: "CAR-00"))
            #expect(try unknown.notFound.body.json.code == "alipay_vehicle_not_found")
        }
    }
}
