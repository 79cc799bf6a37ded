import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// A day for the demo to simulate, and the machine's time zone while it does.
struct DemoDate: Sendable, CustomTestStringConvertible {
    var day: String?
    var timeZone = "UTC"
    var testDescription: String { "\(day ?? "yesterday") (TZ=\(timeZone))" }

    /// Yesterday as the demo runs by default, and fixed days whose edges have broken date
    /// arithmetic before: a holiday on the 1st, the end of a month and a year, a leap day,
    /// and Europe's clock change on a machine that keeps Berlin time.
    static let all = [
        DemoDate(), DemoDate(day: "2026-10-01"), DemoDate(day: "2026-12-31"), DemoDate(day: "2028-02-29"),
        DemoDate(day: "2026-03-29", timeZone: "Europe/Berlin"),
    ]
}

@Suite("curbside demo", .ownThread)
struct DemoTests {
    @Test("The demo runs the sample district end to end over HTTP and reports what it found, whatever the day", arguments: DemoDate.all)
    func demo(date: DemoDate) async throws {
        let result = try await ChildProcess.run(
            ChildProcess.curbside, ["demo"] + (date.day.map { ["--day", $0] } ?? []),
            environment: ["CURBSIDE_ZONES_DIR": RepositoryPaths.zones, "CURBSIDE_TARIFFS_DIR": RepositoryPaths.tariffs, "DATABASE_URL": "", "TZ": date.timeZone]
        )
        #expect(result.status == 0, "\(result.output)")
        let output = result.output
        if let day = date.day { #expect(output.contains("A whole day: \(day) on 80 bays")) }
        #expect(output.contains("GET /readyz -> ready (sqlite)"))
        #expect(output.contains("heshan v1"))
        #expect(output.range(of: #"SP1\s+1\s+active\s+312"#, options: .regularExpression) != nil)
        #expect(output.contains("新城路(中山路至新华路)北侧"))
        #expect(output.contains("-> 10010019 (full code 44078410010019)"))
        #expect(output.contains("Did you mean 10010019?"))
        #expect(output.contains("Cap: ¥20.00 per calendar day."))
        #expect(output.contains("from 09:00 to 11:40 today costs (GET /v1/bays/10010019/quote): ¥12.00"))
        #expect(output.contains("837 dated records"))
        #expect(output.contains("without a token -> 401 unauthenticated"))

        // The whole day: events in, bills and notices out, payments, a refund, a reconciliation, the ledger.
        #expect(output.range(of: #"-> \d+ stored, \d+ repeats acknowledged once"#, options: .regularExpression) != nil)
        #expect(output.contains("Operator adds a monthly pass for"))
        let issued = try #require(Self.number(after: "Billing job: ", in: output))
        #expect(issued > 100)
        #expect(output.contains("Bills asking for money: \(issued - 1); zero bills that say why (exempt vehicles, permits): 1"))
        #expect(output.contains("Notices sent from the outbox: \(issued - 1),"))
        #expect(output.contains("https://pay.example.cn/p/"))
        #expect(output.contains("The same WeChat notification again -> 204 (settled once); one signed with another key -> 401 (refused)"))
        #expect(output.range(of: #"A phone opens a notice's link https://pay.example.cn/p/\w+: a \d+-byte page, unpaid"#, options: .regularExpression) != nil)
        #expect(output.range(of: #"settles it -> paid \(transaction 4200\d+\); the page now shows it paid"#, options: .regularExpression) != nil)
        #expect(output.range(of: #"payment \w+ stayed pending; .* \(1 order queried\) and settled it from the signed answer -> paid"#, options: .regularExpression) != nil)
        #expect(output.contains("-> 201, recorded in the ledger and the audit log, pending"))
        #expect(output.range(of: #"REFUND.SUCCESS notification -> succeeded, WeChat refund id 5030\d+"#, options: .regularExpression) != nil)
        #expect(output.range(of: #"for bill \S+ -> applied \(collected\)"#, options: .regularExpression) != nil)
        #expect(output.range(of: #"a stay started by hand at bay \d{7}[0-9X] for 粤J2D601 -> applied \(started\)"#, options: .regularExpression) != nil)
        #expect(output.contains("sent again after a lost answer -> 2 of 2 replayed with the first answers, nothing done twice"))
        #expect(output.range(of: #"closes the shift: cash counted (¥[0-9.]+), in the ledger \1, difference ¥0.00"#, options: .regularExpression) != nil)
        // Every WeChat Pay and Alipay payment is on the channel's statement, and nothing else is.
        for (channel, name) in [("wechat", "WeChat Pay"), ("alipay", "Alipay"), ("unionpay", "UnionPay")] {
            let paid = try #require(output.range(of: "  \(channel): " + #"\d+ bills, ¥[0-9.]+"#, options: .regularExpression))
            let figures = output[paid].split(separator: ": ")[1].split(separator: " ")
            #expect(output.contains("  \(name): \(figures[0]) payments matched (\(figures[2])), 0 differences"), "\(name)")
        }
        // The concessionaire's month: the report's totals are the ledger's, with the share, the KPIs, charts and CSV.
        #expect(output.contains("the same as the ledger: yes"))
        #expect(output.range(of: #"Share owed to the city: ¥[0-9.]+ on a basis of ¥[0-9.]+"#, options: .regularExpression) != nil)
        #expect(output.range(of: #"device_online_rate: [0-9.]+% \(target >= 95.00: (met|missed)\)"#, options: .regularExpression) != nil)
        #expect(output.range(of: #"revenue.png \d+ bytes, occupancy.png \d+ bytes"#, options: .regularExpression) != nil)
        // The city's CDS view: every fused session is a Metrics session, and the busy area has a busiest hour.
        #expect(output.range(of: #"GET /cds/metrics/sessions for \d{4}-\d{2}-\d{2}: \d+ sessions, no plates; as many as were fused: yes"#, options: .regularExpression) != nil)
        #expect(output.range(of: #"the busiest hour of each: 沙坪中心区 \d{1,2}:00 [0-9.]+%"#, options: .regularExpression) != nil)
        // What is left unpaid is exactly what the ledger says is outstanding.
        let unpaid = try #require(output.range(of: #"Left unpaid: \d+ bills, (¥[0-9.]+) outstanding"#, options: .regularExpression).map { String(output[$0]) })
        let owed = try #require(unpaid.split(separator: " ").first { $0.hasPrefix("¥") })
        #expect(output.contains("; outstanding \(owed)\n"))
        // Reaching the citizen: the sign-in code and a week later's reminder by SMS through Alibaba Cloud SMS, its report recorded.
        #expect(output.contains("Alibaba Cloud SMS takes it (SendSms, template SMS_465980109, signed HMAC-SHA1"))
        let left = try #require(Self.number(after: "Left unpaid: ", in: output))
        // Non-stop payment: one stay paid through WeChat Pay's parking service, one deduction failed back to the notice (and so one more unpaid bill).
        #expect(output.range(of: #"-> NORMAL, parking id 5K8264ILTK\d+"#, options: .regularExpression) != nil)
        #expect(output.contains("charged and notified (TRANSACTION.SUCCESS) -> settled, the citizen doing nothing"))
        #expect(output.contains("TRANSACTION.FAIL -> deduction failed (微信支付扣款失败（用户账户余额不足）)"))
        #expect(output.contains("Each citizen is told by SMS: templates SMS_465980107, SMS_465980108"))
        // E-invoices: the non-stop stay invoiced through WeChat Pay, refused a second time, reversed after a refund and corrected.
        let invoiced = try #require(output.range(of: #"-> 202 requested, (¥[0-9.]+) as the ledger has it paid"#, options: .regularExpression).map { String(output[$0]) })
        #expect(output.contains("Asked again for the same bill -> 409 already_invoiced"))
        #expect(output.range(of: #"then ISSUED\) -> issued, number \d{20}, in the payer's WeChat card wallet"#, options: .regularExpression) != nil)
        #expect(output.contains("The citizen is told by SMS: template SMS_465980110"))
        #expect(output.contains("the invoice goes to_reverse and a corrected one waits"))
        #expect(output.range(of: #"-> reversed by red invoice \d{20}; the corrected invoice issued for ¥[0-9.]+, number \d{20}"#, options: .regularExpression) != nil)
        let paid = try #require(invoiced.split(separator: " ").first { $0.hasPrefix("¥") }?.dropFirst().split(separator: ".").compactMap { Int($0) })
        let corrected = paid[0] * 100 + paid[1] - 100
        #expect(output.contains("the corrected invoice issued for ¥\(corrected / 100).\(String(format: "%02d", corrected % 100)),"))
        #expect(output.contains("A week later the arrears job reminds every unpaid bill: \(left + 1) reminders;"))
        #expect(output.range(of: #"[1-9]\d* by SMS to the citizens who bound their plates, the rest"#, options: .regularExpression) != nil)
        #expect(output.contains("template SMS_465980102 with amount, bill, date, due, link, plate; status: sent"))
        #expect(output.contains(#"/v1/channels/sms/aliyun/reports -> 200 {"code":0,"msg":"接收成功"}; status: delivered DELIVERED"#))
    }

    static func number(after prefix: String, in text: String) -> Int? {
        guard let range = text.range(of: prefix) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}
