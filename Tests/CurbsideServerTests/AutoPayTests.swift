import CurbsideAPI
import CurbsideCore
import CurbsidePayments
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// Non-stop payment (无感支付) over real HTTP: from the wallet, and through the
/// WeChat Pay simulator's parking service (entry while parked, deduction at
/// departure, notification or query), and every way a deduction fails back to
/// the ordinary notice.
@Suite("Non-stop payment", .ownThread)
struct AutoPayTests {
    static let appID = "wxd678efh567hg6787"

    /// A citizen with 粤J5K321 bound (proved by its first bill's notice), and the other first bill's plate 粤J33333 bound to a second citizen.
    static func citizens(_ app: TestApp) async throws -> (a: Client, b: Client, bills: [String: (number: String, fen: Int)]) {
        let bills = try await PaymentRulesTests.billed(app)
        let a = try await app.client(as: .citizen, subject: "citizen-a"), b = try await app.client(as: .citizen, subject: "citizen-b")
        for (client, plate) in [(a, "粤J5K321"), (b, "粤J33333")] {
            let token = try await app.noticeToken(try #require(bills[plate]).number)
            _ = try await client.bindPlate(body: .json(.init(plate: plate, colour: .blue, noticeToken: token))).created
        }
        return (a, b, bills)
    }

    /// Parks `plate` (粤J33333 in bay 10010043, any other in 10010027) from `from` and, with `to`, leaves; folds; with `to`, bills
    /// it and answers the bill's number.
    @discardableResult
    static func park(_ app: TestApp, _ plate: String, id: String, from: String, to: String?) async throws -> String? {
        let (bay, sensor) = plate == "粤J33333" ? ("10010043", "GM-1001-004") : ("10010027", "GM-1001-002")
        // A car still parked sends no heartbeats ahead of the clock.
        let events = StayEvents.stay(bay: bay, sensor: sensor, plate: plate, from: from, to: to, id: id, heartbeatsUntil: to == nil ? from : nil)
        #expect(try await app.ingest(events).status == 200)
        try await app.fuse()
        guard to != nil else { return nil }
        app.clock.advance(by: 11 * 60)
        #expect(try await app.bill().issued == 1)
        let query = Operations.ListBills.Input.Query(from: try Date(rfc3339: "2026-11-19T00:00:00Z"), until: try Date(rfc3339: "2026-11-23T00:00:00Z"))
        let bills = try await app.client(as: .finance).listBills(query: query).ok.body.json.items
        return bills.filter { $0.plate == plate }.max { $0.issuedAt < $1.issuedAt }?.number
    }

    static func autoPay(_ app: TestApp) async throws -> AutoPayRun.Round {
        // The channel simulators keep the test's time, as the app's clients do.
        try await CurbsideApp.autoPayRun(app.database, app.configuration, store: app.store, clock: { app.clock.now })
            .runOnce(now: Int64(app.clock.now.timeIntervalSince1970 * 1000))
    }

    /// Waits for a bill's deduction to leave `requested` (WeChat Pay charges, then notifies), and reads the bill again: its parts
    /// are read one after another, and the deduction finishes in one transaction with the ledger and the notice.
    static func settled(_ app: TestApp, _ number: String) async throws -> Components.Schemas.BillDetail {
        _ = try await Loopback.eventually {
            guard let state = try await app.billDetail(number).value2.autoDebit?.state else { return false }
            return state != .requested && state != .pending
        }
        return try await app.billDetail(number)
    }

    @Test("From the wallet: paid as the bill is issued and told so; a wallet too short fails back to the ordinary notice with the reason", arguments: StoreKind.testCases)
    func wallet(kind: StoreKind) async throws {
        try await ChannelOrderTests.withChannels(kind) { app, wechat, _ in
            let (a, b, bills) = try await Self.citizens(app)
            // Citizen A tops the wallet up through WeChat Pay; B has nothing in it.
            let topUp = try await a.createPayment(body: .json(.init(channel: .wechat, topUpFen: 5_000, scene: .qr))).created.body.json
            try await wechat.pay(topUp.id)
            #expect(try await a.getPayment(path: .init(paymentId: topUp.id), query: .init(wait: 10)).ok.body.json.status == .paid)
            for (client, plate) in [(a, "粤J5K321"), (b, "粤J33333")] {
                let set = try await client.setAutoPay(path: .init(plate: plate), body: .json(.init(colour: .blue, method: .wallet))).ok.body.json
                #expect(set.autoPay == .wallet && set.plate == plate)
            }
            #expect(try await a.listMyPlates().ok.body.json.items.first?.autoPay == .wallet)
            // A plate pays through one account: B cannot take over A's.
            let token = try await app.noticeToken(try #require(bills["粤J5K321"]).number)
            _ = try await b.bindPlate(body: .json(.init(plate: "粤J5K321", colour: .blue, noticeToken: token))).created
            let taken = try await b.setAutoPay(path: .init(plate: "粤J5K321"), body: .json(.init(colour: .blue, method: .wallet)))
            #expect(try taken.conflict.body.json.code == "auto_pay_taken")

            let paid = try #require(try await Self.park(app, "粤J5K321", id: "W1", from: "2026-11-20T12:00:00+08:00", to: "2026-11-20T14:00:00+08:00"))
            let short = try #require(try await Self.park(app, "粤J33333", id: "W2", from: "2026-11-20T12:30:00+08:00", to: "2026-11-20T14:30:00+08:00"))
            #expect(try await app.billDetail(paid).value2.notices.isEmpty, "no notice to pay: the deduction's outcome is told instead")
            let round = try await Self.autoPay(app)
            #expect(round.asked == 2 && round.succeeded == 1 && round.failed == 1)

            let detail = try await app.billDetail(paid)
            #expect(detail.value1.status == .settled && detail.value2.autoDebit?.state == .succeeded && detail.value2.autoDebit?.method == .wallet)
            // Both citizens who bound the plate are told; A paid.
            #expect(detail.value2.notices.map(\.kind) == [.autoDebitDone, .autoDebitDone])
            let balance = try await a.getMyWallet().ok.body.json.balanceFen
            #expect(balance == 5_000 - detail.value1.amountDueFen)

            let failed = try await app.billDetail(short)
            #expect(failed.value1.status == .unpaid && failed.value2.autoDebit?.state == .failed)
            #expect(failed.value2.autoDebit?.failure?.contains("钱包余额不足") == true)
            #expect(failed.value2.notices.map(\.kind) == [.autoDebitFailed])
            // The failure's notice is the ordinary one: its reason, the pay link, the due date.
            #expect(try await app.dispatchNotices() >= 2)
            let notice = try #require(try await app.billDetail(short).value2.notices.first)
            #expect(notice.text.contains("无感支付扣款未成功（钱包余额不足") && notice.text.contains(failed.value2.payLink))
            // The day's report counts the non-stop payment against all payments received (a top-up is not one).
            let report = try await app.client(as: .finance).getDayReport(path: .init(date: "2026-11-20")).ok.body.json
            #expect(report.nonStop.payments == 1 && report.nonStop.receivedFen == Int64(detail.value1.amountDueFen))
            #expect(report.nonStop.allPayments >= 1 && report.nonStop.share == (20_000 + report.nonStop.allPayments) / (report.nonStop.allPayments * 2))
            // Asked again, nothing changes: each bill is deducted once.
            #expect(try await Self.autoPay(app).asked == 0)
            // Stopped, the next bill is noticed as usual.
            _ = try await a.stopAutoPay(path: .init(plate: "粤J5K321"), query: .init(colour: .blue)).noContent
            let later = try #require(try await Self.park(app, "粤J5K321", id: "W3", from: "2026-11-20T15:00:00+08:00", to: "2026-11-20T17:00:00+08:00"))
            #expect(try await app.billDetail(later).value2.notices.map(\.kind) == [.billIssued, .billIssued])
            #expect(try await app.billDetail(later).value2.autoDebit == nil)
        }
    }

    /// The channels' simulators and WeChat's open API's, with our WeChat application's secret configured.
    static func withWeChat(_ kind: StoreKind, _ body: (TestApp, WeChatPaySimulator, WeChatOpenSimulator) async throws -> Void) async throws {
        let open = try await WeChatOpenSimulator(appID: Self.appID)
        defer { Task { try? await open.stop() } }
        try await ChannelOrderTests.withChannels(kind, configure: { configuration in
            configuration.channels.wechatAppSecret = open.appSecret
            configuration.channels.wechatOpenAPIURL = open.baseURL
        }) { app, wechat, _ in try await body(app, wechat, open) }
    }

    @Test("Through WeChat Pay's parking service: entered while parked, charged at departure; a refusal, a blocked entry and a lost notification each end right", arguments: StoreKind.testCases)
    func wechat(kind: StoreKind) async throws {
        try await Self.withWeChat(kind) { app, wechat, open in
            let (a, _, _) = try await Self.citizens(app)
            let plate = "粤J5K321"
            // Not linked, then a code WeChat does not know, then linked.
            let unlinked = try await a.setAutoPay(path: .init(plate: plate), body: .json(.init(colour: .blue, method: .wechat)))
            #expect(try unlinked.conflict.body.json.code == "wechat_not_linked")
            #expect(try await a.linkMyWeChat(body: .json(.init(code: "0a3-not-a-code"))).unprocessableContent.body.json.code == "wechat_code_invalid")
            let openID = "oUpF8uMuAJOM2pxb1Q"
            let code = open.login(openID: openID)
            _ = try await a.linkMyWeChat(body: .json(.init(code: code))).noContent
            #expect(try await a.linkMyWeChat(body: .json(.init(code: code))).unprocessableContent.body.json.code == "wechat_code_invalid", "a code is good once")
            // The service not open for the plate, then paused, then open.
            #expect(try await a.setAutoPay(path: .init(plate: plate), body: .json(.init(colour: .blue, method: .wechat))).conflict.body.json.code == "parking_service_not_open")
            wechat.parking.open(plate: plate, colour: "BLUE", openID: openID, state: .paused)
            #expect(try await a.setAutoPay(path: .init(plate: plate), body: .json(.init(colour: .blue, method: .wechat))).conflict.body.json.code == "parking_service_not_open")
            wechat.parking.open(plate: plate, colour: "BLUE", openID: openID)
            #expect(try await a.setAutoPay(path: .init(plate: plate), body: .json(.init(colour: .blue, method: .wechat))).ok.body.json.autoPay == .wechat)

            // Parked: entered with WeChat Pay while the car is there.
            try await Self.park(app, plate, id: "X1", from: "2026-11-20T12:00:00+08:00", to: nil)
            #expect(try await Self.autoPay(app).entered == 1)
            let entry = try #require(wechat.parking.allEntries.first)
            #expect(entry.plate == plate && entry.colour == "BLUE" && entry.state == "NORMAL" && entry.start == "2026-11-20T04:00:00+00:00")
            #expect(try await Self.autoPay(app).entered == 0, "entered once")
            // Left: billed, deducted, charged and notified; the bill settles by itself.
            let first = try #require(try await Self.park(app, plate, id: "X1", from: "2026-11-20T12:00:00+08:00", to: "2026-11-20T13:00:00+08:00"))
            #expect(try await Self.autoPay(app).asked == 1)
            var detail = try await Self.settled(app, first)
            #expect(detail.value1.status == .settled && detail.value2.autoDebit?.state == .succeeded)
            let payment = try #require(detail.value2.autoDebit?.paymentId)
            #expect(wechat.order(payment)?.kind == "parking" && wechat.order(payment)?.amountFen == detail.value1.amountDueFen)
            #expect(wechat.order(payment)?.parkingID == entry.parkingID)
            #expect(detail.value2.ledger.map(\.kind.rawValue) == ["receivable", "received"])
            #expect(detail.value2.notices.map(\.kind) == [.autoDebitDone])

            // The account cannot pay: PAY_FAIL, notified; the bill goes the ordinary way at once.
            wechat.parking.failingPlates = [plate]
            let refused = try #require(try await Self.park(app, plate, id: "X2", from: "2026-11-20T13:30:00+08:00", to: "2026-11-20T14:30:00+08:00"))
            _ = try await Self.autoPay(app)
            detail = try await Self.settled(app, refused)
            #expect(detail.value1.status == .unpaid && detail.value2.autoDebit?.state == .failed)
            #expect(detail.value2.autoDebit?.failure?.contains("用户账户余额不足") == true)
            #expect(detail.value2.notices.map(\.kind) == [.autoDebitFailed])
            wechat.parking.failingPlates = []

            // The user pauses the service while parked: WeChat Pay notifies the blocked entry; the stay is not charged.
            try await Self.park(app, plate, id: "X3", from: "2026-11-20T15:00:00+08:00", to: nil)
            _ = try await Self.autoPay(app)
            let session = try #require(wechat.parking.allEntries.first { $0.start == "2026-11-20T07:00:00+00:00" }?.outParkingNo)
            try await wechat.blockParking(session, reason: "PAUSE")
            let blocked = try #require(try await Self.park(app, plate, id: "X3", from: "2026-11-20T15:00:00+08:00", to: "2026-11-20T16:00:00+08:00"))
            #expect(try await Self.autoPay(app).failed == 1)
            detail = try await app.billDetail(blocked)
            #expect(detail.value2.autoDebit?.state == .failed && detail.value2.autoDebit?.failure?.contains("PAUSE") == true && detail.value1.status == .unpaid)

            // Charged, and the notification lost: the query a minute on settles it.
            wechat.losesNotifications = true
            let quiet = try #require(try await Self.park(app, plate, id: "X4", from: "2026-11-20T16:30:00+08:00", to: "2026-11-20T17:30:00+08:00"))
            _ = try await Self.autoPay(app)
            #expect(try await Loopback.eventually { wechat.order(try await app.billDetail(quiet).value2.autoDebit?.paymentId ?? "")?.state == .success })
            #expect(try await app.billDetail(quiet).value2.autoDebit?.state == .requested)
            app.clock.advance(by: 61)
            #expect(try await Self.autoPay(app).succeeded == 1)
            #expect(try await app.billDetail(quiet).value1.status == .settled)
        }
    }
}
