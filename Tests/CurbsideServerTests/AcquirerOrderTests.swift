import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// UnionPay, bank-card and ETC payments whose orders Curbside places with the
/// acquirer, over real HTTP to the loopback simulator of the acquirer
/// protocol: the same life as WeChat Pay's and Alipay's orders.
@Suite("Orders placed with the acquirer", .ownThread)
struct AcquirerOrderTests {
    @Test("UnionPay by QR and a bank card on the acquirer's page: placed, paid, settled (a lost notification made up by query), a refund failing once then confirmed, the day's statements reconciled", arguments: StoreKind.testCases)
    func acquirerLife(kind: StoreKind) async throws {
        let clock = TestClock(try Date(rfc3339: "2026-11-20T12:00:00Z"))
        let channels = ChannelOrderTests.channels
        let acquirer = try await AcquirerSimulator(channels: channels, clock: { clock.now })
        do {
            try await withTestApp(kind, clock: clock, configure: { configuration in
                configuration.backgroundJobs = false
                configuration.channels = channels.settings
                configuration.channels.acquirerURL = acquirer.baseURL
                configuration.notices = .directory(NSTemporaryDirectory() + "curbside-acquirer-\(UUID().uuidString)")
            }) { app in
                acquirer.notifyHost = app.baseURL
                let bills = try await PaymentRulesTests.billed(app)
                let first = try #require(bills["粤J5K321"]), second = try #require(bills["粤J33333"])
                let client = try await app.client()

                let byQR = try await client.createPayment(body: .json(.init(channel: .unionpay, bills: [first.number], scene: .qr))).created.body.json
                #expect(byQR.payWith?.qrCode == "https://qr.95516.com/00010000/\(byQR.id)" && acquirer.order(byQR.id)?.amountFen == first.fen)
                let transaction = try await acquirer.pay(byQR.id)
                let paid = try await client.getPayment(path: .init(paymentId: byQR.id)).ok.body.json
                #expect(paid.status == .paid && paid.transactionId == transaction)

                acquirer.losesNotifications = true
                let byCard = try await client.createPayment(body: .json(.init(channel: .bankCard, bills: [second.number], scene: .mobileWeb))).created.body.json
                #expect(byCard.payWith?.url == acquirer.baseURL + "/cashier/\(byCard.id)" && acquirer.order(byCard.id)?.channel == "bank_card")
                try await acquirer.pay(byCard.id)
                #expect(try await client.getPayment(path: .init(paymentId: byCard.id)).ok.body.json.status == .pending)
                app.clock.advance(by: 61)
                #expect(try await app.followUp().settled == 1)
                #expect(try await app.billDetail(second.number).value1.outstandingFen == 0)

                acquirer.failsRefundsOnce = true
                let refund = try await app.client(as: .finance)
                    .refundBill(path: .init(number: first.number), body: .json(.init(amountFen: 200, reason: "wrong zone class", waive: true))).created.body.json
                #expect(refund.status == .pending)
                #expect(try await app.followUp().refundsSent == 1)
                #expect(try await app.billDetail(first.number).value2.refunds.first?.status == .pending)
                app.clock.advance(by: 61)
                #expect(try await app.followUp().refundsSucceeded == 1)
                let done = try #require(try await app.billDetail(first.number).value2.refunds.first)
                #expect(done.status == .succeeded && done.attempts == 2 && done.channelRefundId?.hasPrefix("UR") == true && acquirer.refunded(refund.id) == 200)

                // 11:00 the next morning in China: each of the acquirer's channels has its own statement.
                app.clock.advance(by: 15 * 3600)
                #expect(try await app.statements() == .init(reconciled: 3, differences: 0, postponed: 0))
                let results = try await app.client(as: .finance).listReconciliations(query: .init(day: "2026-11-20")).ok.body.json.items
                #expect(Set(results.map { "\($0.channel.rawValue) \($0.matched) \($0.theirTotalFen)" })
                    == ["unionpay 1 \(first.fen)", "bank_card 1 \(second.fen)", "etc 0 0"])
                #expect(acquirer.refusedRequests == 0)
            }
        } catch {
            try await acquirer.stop()
            throw error
        }
        try await acquirer.stop()
    }
}
