import AsyncHTTPClient
import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// E-invoices over real HTTP, through the WeChat Pay simulator's e-invoice
/// API and an invoicing platform's simulator: asked from the receipt, an
/// account or finance; issued, refused, retried, reversed after a refund and
/// corrected; never twice for the same money.
@Suite("E-invoices", .ownThread)
struct InvoiceTests {
    static let company = "9144030071526726XG"
    static let otherCompany = "91110000802100433B"

    /// Runs the invoices job round after round, an hour apart (its back-off is at most an hour), until a round does nothing.
    static func settle(_ app: TestApp) async throws {
        let run = try CurbsideApp.invoiceRun(app.database, app.configuration, store: app.store, clock: { app.clock.now })
        for _ in 0..<8 {
            let round = try await run.runOnce(now: Int64(app.clock.now.timeIntervalSince1970 * 1000))
            app.clock.advance(by: 3_601)
            if round.claimed == 0 { return }
        }
    }

    static func due(_ app: TestApp) async throws -> Int {
        struct Row: Decodable { var n: Int }
        return try await app.database.sql.raw("""
            SELECT COUNT(*) AS n FROM invoices WHERE status IN ('requested', 'issuing', 'to_reverse', 'reversing')
            """).first(decoding: Row.self)?.n ?? 0
    }

    static func personal(_ name: String = "张三") -> Components.Schemas.InvoiceTitle { .init(kind: .personal, name: name) }

    @Test("WeChat Pay: the receipt asks, WeChat issues it by the payment; asked twice or unpaid refused; a refund reverses it and the corrected one follows", arguments: StoreKind.testCases)
    func wechat(kind: StoreKind) async throws {
        try await ChannelOrderTests.withChannels(kind, configure: { $0.invoices.wechat = true }) { app, wechat, _ in
            let bills = try await PaymentRulesTests.billed(app)
            let paid = try #require(bills["粤J5K321"]), unpaid = try #require(bills["粤J33333"])
            let payment = try await app.client().createPayment(body: .json(.init(channel: .wechat, bills: [paid.number], scene: .qr))).created.body.json
            try await wechat.pay(payment.id)
            #expect(try await app.client().getPayment(path: .init(paymentId: payment.id), query: .init(wait: 10)).ok.body.json.status == .paid)
            let client = try await app.client()
            let token = try await app.noticeToken(paid.number), unpaidToken = try await app.noticeToken(unpaid.number)

            let owes = try await client.requestPayLinkInvoice(path: .init(token: unpaidToken), body: .json(.init(title: Self.personal())))
            #expect(try owes.conflict.body.json.code == "not_invoiceable")
            #expect(try await client.getPayLinkInvoice(path: .init(token: token)).notFound.body.json.code == "invoice_not_found")
            let asked = try await client.requestPayLinkInvoice(path: .init(token: token), body: .json(.init(title: Self.personal()))).accepted.body.json
            #expect(asked.status == .requested && asked.provider == .wechat && asked.totalFen == paid.fen && asked.bills.map(\.billNumber) == [paid.number])
            #expect(asked.taxRate == 900 && asked.taxFen == InvoiceTax(includedIn: paid.fen, rate: 900).taxFen)
            let twice = try await client.requestPayLinkInvoice(path: .init(token: token), body: .json(.init(title: Self.personal("李四"))))
            #expect(try twice.conflict.body.json.code == "already_invoiced")

            // WeChat Pay down: the invoice waits, with the reason, and goes once it is back.
            wechat.invoicing.isDown = true
            let run = try CurbsideApp.invoiceRun(app.database, app.configuration, store: app.store, clock: { app.clock.now })
            #expect(try await run.runOnce(now: Int64(app.clock.now.timeIntervalSince1970 * 1000)).claimed == 1)
            let waiting = try await client.getPayLinkInvoice(path: .init(token: token)).ok.body.json
            #expect(waiting.status == .requested && waiting.failure?.contains("SYSTEM_ERROR") == true)
            wechat.invoicing.isDown = false
            app.clock.advance(by: 3_601)
            try await Self.settle(app)
            let issued = try await client.getPayLinkInvoice(path: .init(token: token)).ok.body.json
            #expect(issued.id == asked.id && issued.status == .issued && issued.number?.count == 20 && issued.fileUrl == nil)
            // WeChat Pay filed it under the payment's transaction, for the money the ledger says was paid.
            let filed = try #require(wechat.invoicing.invoice(asked.id))
            #expect(filed.application == wechat.order(payment.id)?.transactionID && filed.totalFen == paid.fen && filed.buyerName == "张三")

            // Part of the charge was wrong: refunded, the invoice is reversed and the corrected one issued for what is left.
            let finance = try await app.client(as: .finance)
            _ = try await finance.refundBill(path: .init(number: paid.number), body: .json(.init(amountFen: 100, reason: "计费有误", waive: true))).created
            let reversing = try await finance.getInvoice(path: .init(id: asked.id)).ok.body.json
            #expect(reversing.status == .toReverse && reversing.reason == "refund")
            try await Self.settle(app)
            let reversed = try await finance.getInvoice(path: .init(id: asked.id)).ok.body.json
            #expect(reversed.status == .reversed && reversed.redNumber?.count == 20 && wechat.invoicing.invoice(asked.id)?.status == .reversed)
            let corrected = try await client.getPayLinkInvoice(path: .init(token: token)).ok.body.json
            #expect(corrected.replaces == asked.id && corrected.status == .issued && corrected.totalFen == paid.fen - 100)
            #expect(wechat.invoicing.invoice(corrected.id)?.application == filed.application)

            // The rest refunded too: the corrected invoice is reversed, and nothing is left to invoice.
            _ = try await finance.refundBill(path: .init(number: paid.number), body: .json(.init(amountFen: paid.fen - 100, reason: "免单", waive: true))).created
            try await Self.settle(app)
            #expect(try await finance.getInvoice(path: .init(id: corrected.id)).ok.body.json.status == .reversed)
            #expect(wechat.invoicing.all.count == 2)
            let latest = try await client.getPayLinkInvoice(path: .init(token: token)).ok.body.json
            #expect(latest.status == .reversed)
        }
    }

    @Test("A platform: one company invoice for an account's bills; a refused taxpayer id, then rate limits and an outage, retried; notice and file; finance reverses and issues again", arguments: StoreKind.testCases)
    func platform(kind: StoreKind) async throws {
        let clock = TestClock(try Date(rfc3339: "2026-11-20T12:00:00Z"))
        let platform = try await InvoicePlatformSimulator(clock: { clock.now })
        defer { Task { try? await platform.stop() } }
        try await ChannelOrderTests.withChannels(kind, clock: clock, configure: {
            $0.invoices.platformURL = platform.baseURL
            $0.invoices.platformSecret = platform.secret
        }) { app, _, alipay in
            let (a, _, bills) = try await AutoPayTests.citizens(app)
            let first = try #require(bills["粤J5K321"]), other = try #require(bills["粤J33333"])
            let second = try #require(try await AutoPayTests.park(app, "粤J5K321", id: "I1", from: "2026-11-20T12:00:00+08:00", to: "2026-11-20T14:00:00+08:00"))
            let payment = try await a.createPayment(body: .json(.init(channel: .alipay, bills: [first.number, second], scene: .qr))).created.body.json
            try await alipay.pay(payment.id)
            #expect(try await a.getPayment(path: .init(paymentId: payment.id), query: .init(wait: 10)).ok.body.json.status == .paid)
            let total = try await app.billDetail(first.number).value1.amountDueFen + app.billDetail(second).value1.amountDueFen

            // Titles are checked before anything is recorded.
            for title in [
                Components.Schemas.InvoiceTitle(kind: .company, name: "某公司", taxpayerId: "9144030071526726XH"),
                .init(kind: .company, name: "某公司"), .init(kind: .personal, name: "张三", taxpayerId: Self.company), .init(kind: .personal, name: "  "),
            ] {
                let refused = try await a.requestMyInvoice(body: .json(.init(bills: [first.number], title: title)))
                #expect(try refused.unprocessableContent.body.json.code == "invoice_title_invalid")
            }
            let notMine = try await a.requestMyInvoice(body: .json(.init(bills: [first.number, other.number], title: Self.personal())))
            #expect(try notMine.forbidden.body.json.code == "not_your_bill")

            // The tax bureau does not know the id: rejected with the platform's reason, and the bills free again.
            platform.invoicing.rejectedTaxpayers = [Self.otherCompany]
            let wrong = try await a.requestMyInvoice(body: .json(.init(
                bills: [second, first.number], title: .init(kind: .company, name: "北京某公司", taxpayerId: Self.otherCompany)
            ))).accepted.body.json
            #expect(wrong.provider == .platform && wrong.totalFen == total && wrong.bills.map(\.billNumber) == [first.number, second].sorted())
            try await Self.settle(app)
            let rejected = try await app.client(as: .finance).getInvoice(path: .init(id: wrong.id)).ok.body.json
            #expect(rejected.status == .rejected && rejected.failure?.contains("BUYER_INVALID") == true)

            // Asked again with the right title: the platform is busy once, then down, then issues it.
            platform.invoicing.busyOnce = true
            let asked = try await a.requestMyInvoice(body: .json(.init(
                bills: [first.number, second], title: .init(kind: .company, name: "腾讯科技（深圳）有限公司", taxpayerId: Self.company.lowercased())
            ))).accepted.body.json
            #expect(asked.title.taxpayerId == Self.company)
            let run = try CurbsideApp.invoiceRun(app.database, app.configuration, store: app.store, clock: { app.clock.now })
            _ = try await run.runOnce(now: Int64(app.clock.now.timeIntervalSince1970 * 1000))
            let busy = try await app.client(as: .finance).getInvoice(path: .init(id: asked.id)).ok.body.json
            #expect(busy.status == .requested && busy.failure?.contains("RATE_LIMITED") == true)
            platform.invoicing.isDown = true
            app.clock.advance(by: 3_601)
            _ = try await run.runOnce(now: Int64(app.clock.now.timeIntervalSince1970 * 1000))
            #expect(try await app.client(as: .finance).getInvoice(path: .init(id: asked.id)).ok.body.json.failure?.contains("503") == true)
            platform.invoicing.isDown = false
            app.clock.advance(by: 3_601)
            try await Self.settle(app)
            let issued = try await a.listMyInvoices().ok.body.json.items
            #expect(issued.map(\.id) == [asked.id, wrong.id] && issued[0].status == .issued)
            let secondFen = try await app.billDetail(second).value1.amountDueFen
            #expect(issued[0].taxFen == InvoiceTax(includedIn: first.fen, rate: 900).taxFen + InvoiceTax(includedIn: secondFen, rate: 900).taxFen)
            // Its PDF is where the link says, and the citizen is told, with the link.
            let file = try #require(issued[0].fileUrl)
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: file), timeout: Loopback.deadline)
            let pdf = String(buffer: try await response.body.collect(upTo: 1 << 16))
            #expect(response.status == .ok && pdf.hasPrefix("%PDF"))
            // The notice is filed under the invoice's first bill.
            let noticed = try #require(issued[0].bills.first?.billNumber)
            let notices = try await app.billDetail(noticed).value2.notices.filter { $0.kind == .invoiceIssued }
            #expect(notices.count == 1 && notices.first?.recipient.hasPrefix("sms:") == true)
            #expect(try await app.dispatchNotices() >= 1)
            let sent = try #require(try await app.billDetail(noticed).value2.notices.first { $0.kind == .invoiceIssued })
            #expect(sent.text.contains(issued[0].number ?? "-") && sent.text.contains(file))

            // The same money is not invoiced twice, by the citizen or by finance.
            let again = try await app.client(as: .finance).issueInvoice(body: .json(.init(bills: [second], title: Self.personal())))
            #expect(try again.conflict.body.json.code == "already_invoiced")
            // Finance reverses it (a wrong title, say): the bills may be invoiced again at once.
            let finance = try await app.client(as: .finance)
            #expect(try await finance.reverseInvoice(path: .init(id: asked.id), body: .json(.init(reason: "抬头有误"))).accepted.body.json.status == .toReverse)
            let reissued = try await finance.issueInvoice(body: .json(.init(bills: [second], title: Self.personal("王五")))).accepted.body.json
            try await Self.settle(app)
            #expect(try await finance.getInvoice(path: .init(id: asked.id)).ok.body.json.status == .reversed)
            #expect(try await finance.getInvoice(path: .init(id: reissued.id)).ok.body.json.status == .issued)
            let twice = try await finance.reverseInvoice(path: .init(id: asked.id), body: .json(.init(reason: "再次")))
            #expect(try twice.conflict.body.json.code == "invoice_not_issued")
            #expect(platform.refusedRequests == 0)
        }
    }

    @Test("Without a provider for the money, asking is refused and nothing is recorded", arguments: StoreKind.testCases)
    func unavailable(kind: StoreKind) async throws {
        try await ChannelOrderTests.withChannels(kind, configure: { $0.invoices.wechat = true }) { app, _, alipay in
            let bills = try await PaymentRulesTests.billed(app)
            let paid = try #require(bills["粤J5K321"])
            let payment = try await app.client().createPayment(body: .json(.init(channel: .alipay, bills: [paid.number], scene: .qr))).created.body.json
            try await alipay.pay(payment.id)
            #expect(try await app.client().getPayment(path: .init(paymentId: payment.id), query: .init(wait: 10)).ok.body.json.status == .paid)
            let refused = try await app.client(as: .finance).issueInvoice(body: .json(.init(bills: [paid.number], title: Self.personal())))
            #expect(try refused.conflict.body.json.code == "invoicing_unavailable")
            #expect(try await Self.due(app) == 0)
            let tooMany = try await app.client(as: .finance).issueInvoice(body: .json(.init(bills: (0...50).map { "B\($0)" }, title: Self.personal())))
            switch tooMany {
            case .badRequest, .unprocessableContent: break
            default: Issue.record("51 bills were not refused: \(tooMany)")
            }
        }
    }
}
