import CurbsideAPI
import CurbsideCore
import CurbsideStore

/// E-invoices from the pay page's receipt (the link proves the bill) and from finance.
extension BillingHandler {
    func getPayLinkInvoice(_ input: Operations.GetPayLinkInvoice.Input) async throws -> Operations.GetPayLinkInvoice.Output {
        let database = try database
        guard let bill = try await Bills(store: store, database: database).bill(token: input.path.token) else {
            throw APIError.notFound(BillingErrorCode.payLinkNotFound, input.path.token)
        }
        let invoices = try await Invoices(store: store, database: database).invoices(bill: bill.bill.number)
        guard let invoice = invoices.first(where: Self.stands) ?? invoices.first else { throw APIError.notFound(BillingErrorCode.invoiceNotFound, bill.bill.number) }
        return .ok(.init(body: .json(.init(invoice))))
    }

    func requestPayLinkInvoice(_ input: Operations.RequestPayLinkInvoice.Input) async throws -> Operations.RequestPayLinkInvoice.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let title = try request.title.domain
        let database = try database
        guard let bill = try await Bills(store: store, database: database).bill(token: input.path.token) else {
            throw APIError.notFound(BillingErrorCode.payLinkNotFound, input.path.token)
        }
        let invoice = try await Invoices(store: store, database: database).request(
            bills: [bill.bill.number], title: title, by: RequestContext.principal ?? Principal(subject: "pay:" + bill.bill.number, role: .citizen),
            citizen: nil, routing: configuration.invoices.routing(orders), now: now
        )
        return .accepted(.init(body: .json(.init(invoice))))
    }

    func issueInvoice(_ input: Operations.IssueInvoice.Input) async throws -> Operations.IssueInvoice.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let invoice = try await Invoices(store: store, database: try database).request(
            bills: request.bills, title: try request.title.domain, by: try principal, citizen: nil, routing: configuration.invoices.routing(orders), now: now
        )
        return .accepted(.init(body: .json(.init(invoice))))
    }

    func getInvoice(_ input: Operations.GetInvoice.Input) async throws -> Operations.GetInvoice.Output {
        guard let invoice = try await Invoices(store: store, database: try database).invoice(input.path.id) else {
            throw APIError.notFound(BillingErrorCode.invoiceNotFound, input.path.id)
        }
        return .ok(.init(body: .json(.init(invoice))))
    }

    func reverseInvoice(_ input: Operations.ReverseInvoice.Input) async throws -> Operations.ReverseInvoice.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let reason = try InputValidation.text(request.reason, field: "reason", maxLength: 200)
        let invoice = try await Invoices(store: store, database: try database).reverse(input.path.id, reason: reason, by: try principal, now: now)
        return .accepted(.init(body: .json(.init(invoice))))
    }

    /// An invoice that stands, or is on its way to: what a receipt shows before a rejected or reversed one.
    static func stands(_ invoice: Invoice) -> Bool {
        [.requested, .issuing, .issued, .waiting].contains(invoice.status)
    }
}
