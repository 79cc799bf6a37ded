import CurbsideAPI
import CurbsideCore
import CurbsideServer
import Foundation
import OpenAPIRuntime

/// The demo's payments: orders placed with the WeChat Pay, Alipay and
/// acquirer simulators and paid there, one from a notice's link as a phone
/// does it, one whose notification is lost; cash by patrol; a refund sent back and confirmed; the
/// statements reconciled the next morning.
extension DemoDay {
    struct Payments {
        var byChannel: [String: (count: Int, fen: Int)] = [:]
        /// A WeChat Pay payment settled by its notification, for the repeat, the forgery and the refund.
        var firstWeChat: (payment: String, transaction: String, fen: Int, bill: String)?
        /// A WeChat Pay payment whose notification was lost.
        var lost: String?
    }

    static let phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"

    /// Four bills in ten through WeChat Pay, two through Alipay, one through UnionPay, one in cash; the rest unpaid.
    func payBills(_ owing: [Bill], patrol: Client) async throws -> Payments {
        var result = Payments()
        for (index, bill) in owing.enumerated() {
            let channel: PaymentChannel? = switch index % 10 {
            case 0, 1, 2, 3: .wechat
            case 4, 5: .alipay
            case 6: .unionpay
            case 7: .cash
            default: nil
            }
            guard let channel else { continue }
            let fen: Int
            switch channel {
            case .wechat where index == 0:
                fen = try await payFromLink(bill)
            case .wechat, .alipay:
                let created = try await client.api().createPayment(body: .json(.init(channel: .init(rawValue: channel.rawValue)!, bills: [bill.number], scene: .qr)))
                    .created.body.json
                let loses = channel == .wechat && result.firstWeChat != nil && result.lost == nil
                channels.wechat.losesNotifications = loses
                let transaction = channel == .wechat ? try await channels.wechat.pay(created.id) : try await channels.alipay.pay(created.id)
                channels.wechat.losesNotifications = false
                if loses {
                    result.lost = created.id
                } else if channel == .wechat, result.firstWeChat == nil {
                    result.firstWeChat = (created.id, transaction, created.amountFen, bill.number)
                }
                fen = created.amountFen
            case .cash:
                fen = try await patrol.createPayment(body: .json(.init(channel: .cash, bills: [bill.number]))).created.body.json.amountFen
            default:
                let created = try await client.api().createPayment(body: .json(.init(channel: .init(rawValue: channel.rawValue)!, bills: [bill.number], scene: .qr)))
                    .created.body.json
                try await channels.acquirer.pay(created.id)
                fen = created.amountFen
            }
            result.byChannel[channel.rawValue, default: (0, 0)].count += 1
            result.byChannel[channel.rawValue, default: (0, 0)].fen += fen
        }
        return result
    }

    /// A citizen pays from a notice's link, as the pay page's script does on a phone: the page, the order (a
    /// Native QR code, as outside WeChat), the payment in WeChat (the simulator's phone), the page again.
    func payFromLink(_ bill: Bill) async throws -> Int {
        let finance = client.api(try await token(.finance, "demo-finance"))
        let link = try await finance.getBill(path: .init(number: bill.number)).ok.body.json.value2.payLink
        let token = String(link.split(separator: "/").last ?? "")
        let phone = client.api()
        func page() async throws -> String {
            let body = try await phone.payPage(path: .init(token: token), headers: .init(userAgent: Self.phone)).ok.body.html
            return try await String(collecting: body, upTo: 1 << 20)
        }
        let before = try await page()
        output("  A phone opens a notice's link \(link): a \(before.utf8.count)-byte page, \(Self.state(before)), \(Money.display(bill.amountDueFen)), "
               + "its lines and a button per channel")
        let created = try await phone.createPayment(body: .json(.init(channel: .wechat, bills: [bill.number], scene: .qr))).created.body.json
        output("  Tapping WeChat Pay places a Native order with WeChat Pay (signed WECHATPAY2-SHA256-RSA2048) -> QR code \(created.payWith?.qrCode ?? "none")")
        let transaction = try await channels.wechat.pay(created.id)
        let settled = try await phone.getPayment(path: .init(paymentId: created.id), query: .init(wait: 20)).ok.body.json
        output("  The payer pays in WeChat; the signed, encrypted notification settles it -> \(settled.status.rawValue) (transaction \(transaction)); "
               + "the page now shows it \(Self.state(try await page()))")
        return created.amountFen
    }

    static func state(_ page: String) -> String {
        ["unpaid", "paid", "appealed", "void"].first { page.contains("data-state=\"\($0)\"") } ?? "unknown"
    }

    /// The payment whose notification was lost stays pending until the follow-up asks WeChat Pay a minute on.
    func recoverLost(_ payment: String?) async throws {
        guard let payment else { return }
        let before = try await client.api().getPayment(path: .init(paymentId: payment)).ok.body.json.status
        let round = try await jobs.followUp(at: jobs.now + Milliseconds.minute + Milliseconds.second)
        let after = try await client.api().getPayment(path: .init(paymentId: payment)).ok.body.json.status
        output("  A WeChat Pay notification lost: payment \(payment) stayed \(before.rawValue); a minute on the follow-up job asked WeChat Pay "
               + "(\(round.checked) order queried) and settled it from the signed answer -> \(after.rawValue)")
    }

    /// Finance refunds part of a bill paid through WeChat Pay; the follow-up sends it and WeChat Pay confirms it.
    func refundThroughWeChat(_ first: (payment: String, transaction: String, fen: Int, bill: String), finance: Client) async throws {
        let amount = min(100, first.fen)
        let refund = try await finance.refundBill(
            path: .init(number: first.bill), body: .json(.init(amountFen: amount, reason: "投诉属实：离场时间晚记 10 分钟", waive: true))
        ).created.body.json
        output("  Finance refunds \(Money.display(amount)) of bill \(first.bill) -> 201, recorded in the ledger and the audit log, \(refund.status.rawValue)")
        _ = try await jobs.followUp(at: jobs.now + 2 * Milliseconds.minute)
        // WeChat Pay answers PROCESSING and then notifies REFUND.SUCCESS.
        var sent: Components.Schemas.Refund?
        for _ in 0..<100 {
            sent = try await finance.getBill(path: .init(number: first.bill)).ok.body.json.value2.refunds.first { $0.id == refund.id }
            if sent?.status != .pending && sent?.status != .processing { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        output("  The follow-up job sends it back through WeChat Pay; its REFUND.SUCCESS notification -> \(sent?.status.rawValue ?? "none"), "
               + "WeChat refund id \(sent?.channelRefundId ?? "none")")
    }

    /// The next morning at 11:00 the statement job downloads the day's statements and reconciles them.
    func reconcileStatements(finance: Client, today: LocalDate) async throws {
        let morning = DemoClock.zone.utc(fromLocal: Int64(today.dayNumber + 1) * 86_400 + 11 * 3_600) * 1000
        _ = try await jobs.statements(at: morning)
        output("")
        output("The next morning the statement job downloads the day's statements (WeChat Pay's trade bill, checked by its SHA1; Alipay's zip of GBK files; the acquirer's CSV) and reconciles them:")
        let names: [(Components.Schemas.PaymentChannel, String)] = [
            (.wechat, "WeChat Pay"), (.alipay, "Alipay"), (.unionpay, "UnionPay"), (.bankCard, "bank card"), (.etc, "ETC"),
        ]
        let results = try await finance.listReconciliations(query: .init(day: today.description)).ok.body.json.items
        for (channel, name) in names {
            for result in results where result.channel == channel && (result.matched > 0 || !result.differences.isEmpty) {
                output("  \(name): \(result.matched) payments matched (\(Money.display(result.theirTotalFen))), \(result.differences.count) differences")
            }
        }
    }
}
