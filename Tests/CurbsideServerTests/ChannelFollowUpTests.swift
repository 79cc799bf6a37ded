import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing

/// Orders and refunds followed up with the channels over real HTTP to the
/// loopback simulators: lost notifications recovered by query, expired orders
/// closed, late notifications after a close, refunds sent, retried and
/// confirmed, and two instances doing it at once.
@Suite("Orders and refunds followed up with the channels", .ownThread)
struct ChannelFollowUpTests {
    static func notifications(_ app: TestApp, _ payment: String) async throws -> [String] {
        struct Row: Decodable { var outcome: String; var detail: String }
        return try await app.database.sql.raw("SELECT outcome, detail FROM channel_notifications WHERE payment_id = \(bind: payment) ORDER BY id")
            .all(decoding: Row.self).map { $0.detail.isEmpty ? $0.outcome : "\($0.outcome) (\($0.detail))" }
    }

    @Test("Notifications lost: nothing settles until the first check a minute on, which settles both from the channels' signed answers", arguments: StoreKind.testCases)
    func lostNotificationRecovered(kind: StoreKind) async throws {
        try await ChannelOrderTests.withChannels(kind) { app, wechat, alipay in
            let bills = try await PaymentRulesTests.billed(app)
            let first = try #require(bills["粤J5K321"]), second = try #require(bills["粤J33333"])
            wechat.losesNotifications = true
            alipay.losesNotifications = true
            let client = try await app.client()
            let byWeChat = try await client.createPayment(body: .json(.init(channel: .wechat, bills: [first.number], scene: .qr))).created.body.json
            let byAlipay = try await client.createPayment(body: .json(.init(channel: .alipay, bills: [second.number], scene: .qr))).created.body.json
            #expect(byWeChat.orderPlacedAt == app.clock.now)
            let transaction = try await wechat.pay(byWeChat.id)
            let tradeNo = try await alipay.pay(byAlipay.id)

            // Not due yet: nothing is asked.
            #expect(try await app.followUp() == .init())
            #expect(try await client.getPayment(path: .init(paymentId: byWeChat.id)).ok.body.json.status == .pending)
            app.clock.advance(by: 61)
            let round = try await app.followUp()
            #expect(round.checked == 2 && round.settled == 2, "\(round)")
            let paid = try await client.getPayment(path: .init(paymentId: byWeChat.id)).ok.body.json
            #expect(paid.status == .paid && paid.transactionId == transaction)
            #expect(try await client.getPayment(path: .init(paymentId: byAlipay.id)).ok.body.json.transactionId == tradeNo)
            #expect(try await app.billDetail(first.number).value1.outstandingFen == 0)
            #expect(try await app.billDetail(second.number).value1.outstandingFen == 0)
            #expect(try await Self.notifications(app, byWeChat.id) == ["settled (query)"])
            // Settled payments are not asked about again.
            app.clock.advance(by: 600)
            #expect(try await app.followUp().checked == 0)
        }
    }

    @Test("An order never paid is checked on the schedule and closed when it expires, with the channel too", arguments: StoreKind.testCases)
    func expiredOrderClosed(kind: StoreKind) async throws {
        try await ChannelOrderTests.withChannels(kind) { app, wechat, alipay in
            let first = try #require(try await PaymentRulesTests.billed(app)["粤J5K321"])
            let client = try await app.client()
            let byWeChat = try await client.createPayment(body: .json(.init(channel: .wechat, bills: [first.number], scene: .qr))).created.body.json
            let byAlipay = try await client.createPayment(body: .json(.init(channel: .alipay, bills: [first.number], scene: .qr))).created.body.json
            // Checked after 1, 2, 5, 10 and 20 minutes, still waiting; closed at 30.
            var checks = 0
            for minute in 1...30 {
                app.clock.advance(by: 60)
                let round = try await app.followUp()
                checks += round.checked
                #expect(round.closed == (minute == 30 ? 2 : 0), "minute \(minute): \(round)")
            }
            #expect(checks == 12)
            let closed = try await client.getPayment(path: .init(paymentId: byWeChat.id)).ok.body.json
            #expect(closed.status == .closed && closed.closedAt == app.clock.now)
            #expect(wechat.order(byWeChat.id)?.state == .closed && alipay.trade(byAlipay.id)?.status == .closed)
            #expect(try await app.billDetail(first.number).value1.outstandingFen == first.fen)
            app.clock.advance(by: 3600)
            #expect(try await app.followUp().checked == 0)
        }
    }

    @Test("A payment crossing the close: its late notification settles the closed payment, and the money the bill no longer owes goes back through WeChat Pay", arguments: StoreKind.testCases)
    func lateNotificationAfterClose(kind: StoreKind) async throws {
        try await ChannelOrderTests.withChannels(kind) { app, wechat, alipay in
            let first = try #require(try await PaymentRulesTests.billed(app)["粤J5K321"])
            let client = try await app.client()
            let late = try await client.createPayment(body: .json(.init(channel: .wechat, bills: [first.number], scene: .qr))).created.body.json
            app.clock.advance(by: 31 * 60)
            #expect(try await app.followUp().closed == 1)
            // Meanwhile the citizen paid the bill through Alipay.
            let byAlipay = try await client.createPayment(body: .json(.init(channel: .alipay, bills: [first.number], scene: .qr))).created.body.json
            try await alipay.pay(byAlipay.id)
            #expect(try await app.billDetail(first.number).value1.outstandingFen == 0)

            let transaction = try await wechat.pay(late.id, racingClose: true)
            let settled = try await client.getPayment(path: .init(paymentId: late.id)).ok.body.json
            #expect(settled.status == .paid && settled.transactionId == transaction)
            let refunds = try await app.billDetail(first.number).value2.refunds
            #expect(refunds.map { "\($0.paymentId) \($0.amountFen) \($0.status.rawValue)" } == ["\(late.id) \(first.fen) pending"])

            let round = try await app.followUp()
            #expect(round.refundsSent == 1, "\(round)")
            let refund = try #require(refunds.first)
            // WeChat Pay answers PROCESSING, then notifies REFUND.SUCCESS.
            #expect(try await Loopback.eventually { try await app.billDetail(first.number).value2.refunds.first?.status == .succeeded })
            let done = try #require(try await app.billDetail(first.number).value2.refunds.first)
            #expect(done.channelRefundId == wechat.refund(refund.id)?.refundID && done.channelRefundId != nil && done.attempts == 1)
            #expect(wechat.refund(refund.id)?.fen == first.fen)
        }
    }

    @Test("Refunds sent back through both channels, part of one payment and all of another; the first attempt of each fails and is retried; a lost refund notification is made up by query", arguments: StoreKind.testCases)
    func refundsRetriedAndConfirmed(kind: StoreKind) async throws {
        try await ChannelOrderTests.withChannels(kind) { app, wechat, alipay in
            let bills = try await PaymentRulesTests.billed(app)
            let first = try #require(bills["粤J5K321"]), second = try #require(bills["粤J33333"])
            let client = try await app.client()
            let byWeChat = try await client.createPayment(body: .json(.init(channel: .wechat, bills: [first.number], scene: .qr))).created.body.json
            try await wechat.pay(byWeChat.id)
            let byAlipay = try await client.createPayment(body: .json(.init(channel: .alipay, bills: [second.number], scene: .qr))).created.body.json
            try await alipay.pay(byAlipay.id)
            wechat.failsRefundsOnce = true
            alipay.failsRefundsOnce = true
            wechat.losesNotifications = true

            let finance = try await app.client(as: .finance)
            let part = try await finance.refundBill(path: .init(number: first.number), body: .json(.init(amountFen: 100, reason: "wrong zone class", waive: true)))
                .created.body.json
            let whole = try await finance.refundBill(path: .init(number: second.number), body: .json(.init(amountFen: second.fen, reason: "appeal upheld", waive: true)))
                .created.body.json
            #expect(part.status == .pending && whole.status == .pending)

            let failing = try await app.followUp()
            #expect(failing.refundsSent == 2 && failing.refundsSucceeded == 0)
            #expect(try await app.billDetail(first.number).value2.refunds.map(\.status) == [.pending])
            // Sent again a minute later: Alipay pays at once; WeChat Pay takes it and, its notification lost, says so when asked.
            app.clock.advance(by: 61)
            let retried = try await app.followUp()
            #expect(retried.refundsSent == 2 && retried.refundsSucceeded == 1, "\(retried)")
            #expect(try await app.billDetail(first.number).value2.refunds.map(\.status) == [.processing])
            app.clock.advance(by: 121)
            #expect(try await app.followUp().refundsSucceeded == 1)

            let wechatRefund = try #require(try await app.billDetail(first.number).value2.refunds.first)
            #expect(wechatRefund.status == .succeeded && wechatRefund.attempts == 3 && wechatRefund.channelRefundId == wechat.refund(part.id)?.refundID)
            let alipayRefund = try #require(try await app.billDetail(second.number).value2.refunds.first)
            #expect(alipayRefund.status == .succeeded && alipayRefund.attempts == 2 && alipayRefund.finishedAt != nil)
            #expect(wechat.refund(part.id)?.fen == 100 && alipay.refunded(whole.id) == second.fen)
            // Finished refunds are not sent again.
            app.clock.advance(by: 3600)
            #expect(try await app.followUp().refundsSent == 0)
        }
    }

    @Test("A refund the channel never answers fails after its last attempt, and the audit log hands it to finance")
    func refundGivesUp() async throws {
        try await ChannelOrderTests.withChannels(.sqlite) { app, wechat, _ in
            let first = try #require(try await PaymentRulesTests.billed(app)["粤J5K321"])
            let client = try await app.client()
            let payment = try await client.createPayment(body: .json(.init(channel: .wechat, bills: [first.number], scene: .qr))).created.body.json
            try await wechat.pay(payment.id)
            try await wechat.stop()
            let refund = try await app.client(as: .finance).refundBill(
                path: .init(number: first.number), body: .json(.init(amountFen: first.fen, reason: "voided by hand", waive: true))
            ).created.body.json
            var attempts = 0
            for _ in 0...FollowUpSchedule.refundRetries.count {
                attempts += try await app.followUp().refundsSent
                app.clock.advance(by: 4 * 3600)
            }
            #expect(attempts == FollowUpSchedule.refundRetries.count + 1)
            let failed = try #require(try await app.billDetail(first.number).value2.refunds.first)
            #expect(failed.id == refund.id && failed.status == .failed && failed.failure?.contains("no answer after 9 attempts") == true, "\(failed)")
            struct Row: Decodable { var action: String; var subject: String }
            let audit = try await app.database.sql.raw("SELECT action, subject FROM audit_log WHERE action = 'refund_failed'").all(decoding: Row.self)
            #expect(audit.map(\.subject) == [refund.id])
        }
    }

    /// On PostgreSQL a second server on the same database; the embedded SQLite store serves one process, whose
    /// job runners share its write queue, so there two runners of one server race instead.
    @Test("Two instances following up at once: every payment settled once and every refund sent once", arguments: StoreKind.testCases)
    func twoInstances(kind: StoreKind) async throws {
        try await ChannelOrderTests.withChannels(kind) { app, wechat, alipay in
            let bills = try await PaymentRulesTests.billed(app)
            wechat.losesNotifications = true
            alipay.losesNotifications = true
            let client = try await app.client()
            var payments: [String] = []
            for (index, bill) in bills.values.enumerated() {
                for channel in [Components.Schemas.PaymentChannel.wechat, .alipay] {
                    let payment = try await client.createPayment(body: .json(.init(channel: channel, bills: [bill.number], scene: .qr))).created.body.json
                    payments.append(payment.id)
                    // Only the first payment of each bill is paid at the channel; the other is closed at expiry.
                    if channel == (index == 0 ? .wechat : .alipay) {
                        if channel == .wechat { try await wechat.pay(payment.id) } else { try await alipay.pay(payment.id) }
                    }
                }
            }
            app.clock.advance(by: 61)
            let twin: ((TestApp) async throws -> Void) async throws -> Void = kind == .postgres ? { try await app.twin($0) } : { try await $0(app) }
            try await twin { other in
                async let mine = app.followUp()
                async let theirs = other.followUp()
                let (a, b) = try await (mine, theirs)
                #expect(a.checked + b.checked == 4 && a.settled + b.settled == 2, "\(a) \(b)")
                app.clock.advance(by: 30 * 60)
                async let mine2 = app.followUp()
                async let theirs2 = other.followUp()
                let (c, d) = try await (mine2, theirs2)
                #expect(c.closed + d.closed == 2 && c.settled + d.settled == 0, "\(c) \(d)")

                let finance = try await app.client(as: .finance)
                for bill in bills.values {
                    _ = try await finance.refundBill(path: .init(number: bill.number), body: .json(.init(amountFen: 50, reason: "goodwill", waive: true))).created
                }
                async let mine3 = app.followUp()
                async let theirs3 = other.followUp()
                let (e, f) = try await (mine3, theirs3)
                #expect(e.refundsSent + f.refundsSent == 2 && e.refundsSucceeded + f.refundsSucceeded >= 1, "\(e) \(f)")
            }
            for payment in payments {
                let outcomes = try await Self.notifications(app, payment)
                #expect(outcomes.isEmpty || outcomes == ["settled (query)"], "\(payment): \(outcomes)")
            }
            struct Row: Decodable { var kind: String; var count: Int }
            for bill in bills.values {
                let kinds = try await app.database.sql.raw("""
                    SELECT kind, COUNT(*) AS count FROM ledger_entries WHERE bill_number = \(bind: bill.number) GROUP BY kind ORDER BY kind
                    """).all(decoding: Row.self)
                #expect(kinds.first { $0.kind == "received" }?.count == 1 && kinds.first { $0.kind == "refund" }?.count == 1, "\(kinds)")
            }
        }
    }
}
