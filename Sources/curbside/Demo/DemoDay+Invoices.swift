import CurbsideAPI
import CurbsideCore
import CurbsideServer
import Foundation

/// E-invoices in the demo: the citizen whose stay was paid non-stop asks
/// for an invoice from their account, WeChat Pay's e-invoice API issues it
/// (filed under the deduction's WeChat Pay transaction) and the citizen is
/// told by SMS; then finance refunds part of the stay, and the invoice is
/// reversed (红冲) and the corrected one issued, by themselves.
extension DemoDay {
    func invoices(_ citizen: Client, bill: String, finance: Client) async throws {
        output("")
        let title = Components.Schemas.InvoiceTitle(kind: .company, name: "鹤山市沙坪物流有限公司", taxpayerId: "91440784MA4UJ3C82X")
        let asked = try await citizen.requestMyInvoice(body: .json(.init(bills: [bill], title: title))).accepted.body.json
        output("E-invoices (电子发票): the citizen asks for one for bill \(bill) from their account (POST /v1/citizen/invoices, a company title "
               + "and its unified social credit code) -> 202 \(asked.status.rawValue), \(Money.display(asked.totalFen)) as the ledger has it paid, "
               + "VAT \(Money.display(asked.taxFen)) inside at \(asked.taxRate / 100)%, by \(asked.provider.rawValue)")
        let again = try await citizen.requestMyInvoice(body: .json(.init(bills: [bill], title: title)))
        output("  Asked again for the same bill -> 409 \(try again.conflict.body.json.code): its money is on a live invoice")
        let issuedAt = try await jobs.invoices()
        let issued = try await finance.getInvoice(path: .init(id: asked.id)).ok.body.json
        output("  The invoices job applies through WeChat Pay's e-invoice API under the deduction's transaction (POST /v3/new-tax-control-fapiao/"
               + "fapiao-applications -> 202, ISSUE_ACCEPTED, then ISSUED) -> \(issued.status.rawValue), number \(issued.number ?? "none"), "
               + "in the payer's WeChat card wallet")
        let before = channels.sms.sent.count
        _ = try await jobs.sendNotices(at: issuedAt)
        if let sms = channels.sms.sent.dropFirst(before).first { output("  The citizen is told by SMS: template \(sms.template)") }

        _ = try await finance.refundBill(path: .init(number: bill), body: .json(.init(amountFen: 100, reason: "计费有误：少停 10 分钟", waive: true))).created
        let reversing = try await finance.getInvoice(path: .init(id: asked.id)).ok.body.json
        output("  Finance refunds \(Money.display(100)) of it: in the same transaction the invoice goes \(reversing.status.rawValue) and a corrected one waits")
        _ = try await jobs.invoices()
        let reversed = try await finance.getInvoice(path: .init(id: asked.id)).ok.body.json
        let corrected = try await citizen.listMyInvoices().ok.body.json.items.first { $0.replaces == asked.id }
        output("  The job reverses it (POST .../reverse -> REVERSE_ACCEPTED, then REVERSED) -> \(reversed.status.rawValue) by red invoice "
               + "\(reversed.redNumber ?? "none"); the corrected invoice \(corrected?.status.rawValue ?? "missing") for "
               + "\(Money.display(corrected?.totalFen ?? 0)), number \(corrected?.number ?? "none")")
    }
}
