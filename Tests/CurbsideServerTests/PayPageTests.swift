import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// The citizen's pay pages, as a phone sees them: in headless Chromium with a
/// phone's screen and user agent, paying through the loopback WeChat Pay
/// simulator; and over HTTP, what each state of a bill shows.
@Suite("Pay pages", .ownThread)
struct PayPageTests {
    @Test("A notice's link on a phone: the bill explained, paid by QR code through WeChat Pay, the receipt shown")
    func payFromLink() async throws {
        _ = try HeadlessBrowser.requireOrSkip()
        try await ChannelOrderTests.withChannels(.sqlite) { app, wechat, _ in
            let bill = try #require(try await PaymentRulesTests.billed(app)["粤J5K321"])
            let token = try await app.noticeToken(bill.number)
            // The page as it first loads: the bill in full, its lines and tariff, and a button per channel.
            let page = try await app.get("/p/\(token)")
            #expect(page.status == 200 && page.headers.first(name: "Content-Type")?.hasPrefix("text/html") == true)
            #expect(page.text.contains("data-state=\"unpaid\"") && page.text.contains("¥" + Money.yuan(bill.fen)) && page.text.contains("粤J5K321"))
            #expect(page.text.contains("data-channel=\"wechat\"") && page.text.contains("data-channel=\"alipay\"") && page.text.contains("计费明细"))
            #expect(page.text.utf8.count < 16_000, "\(page.text.utf8.count) bytes")

            // The phone taps WeChat Pay (the link's pay=wechat); the simulated payer scans and pays at once.
            wechat.paysAfter = .milliseconds(300)
            let dom = try await HeadlessBrowser.dom("\(app.baseURL)/p/\(token)?pay=wechat", arguments: HeadlessBrowser.phone)
            #expect(dom.contains("data-state=\"paid\""), "\(dom.prefix(3000))")
            let receipt = try #require(try await app.billDetail(bill.number).value2.ledger.first { $0.kind == .received })
            #expect(dom.contains("id=\"receipt\"") && dom.contains(receipt.reference) && dom.contains("已缴清"))
            let payment = try await app.client().getPayment(path: .init(paymentId: receipt.reference)).ok.body.json
            #expect(payment.channel == .wechat && payment.status == .paid && dom.contains(payment.transactionId ?? "-"))
            #expect(try await app.billDetail(bill.number).value1.outstandingFen == 0)
        }
    }

    @Test("What a citizen sees: English on asking, an appealed bill, a voided one, an unknown link, a bay with a car and without", arguments: StoreKind.testCases)
    func states(kind: StoreKind) async throws {
        try await ChannelOrderTests.withChannels(kind) { app, _, _ in
            let bills = try await PaymentRulesTests.billed(app)
            let first = try #require(bills["粤J5K321"]), second = try #require(bills["粤J33333"])
            let citizen = try await app.client(as: .citizen, subject: "C-PAGE")
            for (plate, number) in [("粤J5K321", first.number), ("粤J33333", second.number)] {
                _ = try await citizen.bindPlate(body: .json(.init(plate: plate, colour: .blue, noticeToken: try await app.noticeToken(number)))).created
            }
            let english = try await app.get("/p/\(try await app.noticeToken(first.number))?lang=en")
            #expect(english.text.contains("lang=\"en\"") && english.text.contains("Amount due") && english.text.contains("WeChat Pay"))

            let appeal = try await citizen.fileAppeal(body: .json(.init(billNumber: first.number, reason: .notMyCar, text: "车在外地"))).created.body.json
            let appealed = try await app.get("/p/\(try await app.noticeToken(first.number))")
            #expect(appealed.text.contains("data-state=\"appealed\"") && appealed.text.contains("data-channel=\"wechat\""))
            _ = try await app.client(as: .operator).decideAppeal(path: .init(appealId: appeal.id), body: .json(.init(upheld: true, note: "非本车"))).ok
            let void = try await app.get("/p/\(try await app.noticeToken(first.number))")
            #expect(void.text.contains("data-state=\"void\"") && !void.text.contains("data-channel="))

            let unknown = try await app.get("/p/ZZZZZZZZZZ")
            #expect(unknown.status == 404 && unknown.text.contains("data-state=\"unknown\""))

            let events = StayEvents.stay(
                bay: "10010035", sensor: "GM-1001-003", plate: "粤J77777", from: "2026-11-20T19:30:00+08:00", to: nil, id: "P",
                heartbeatsUntil: "2026-11-20T20:10:00+08:00"
            )
            #expect(try await app.ingest(events).status == 200)
            try await app.fuse()
            let bay = try await app.get("/b/10010035")
            #expect(bay.text.contains("data-state=\"parked\"") && bay.text.contains("粤J****7") && !bay.text.contains("粤J77777"))
            let empty = try await app.get("/b/10010027")
            #expect(empty.status == 404 && empty.text.contains("data-state=\"unknown\""))
        }
    }
}
