import CurbsideAPI
import CurbsideCore
import CurbsideStore

/// A citizen's e-invoices: asked for paid bills of their plates, told by SMS once issued.
extension CitizensHandler {
    func listMyInvoices(_ input: Operations.ListMyInvoices.Input) async throws -> Operations.ListMyInvoices.Output {
        let invoices = try await Invoices(store: store, database: try database).invoices(citizen: try principal.subject)
        return .ok(.init(body: .json(.init(items: invoices.map(Components.Schemas.Invoice.init)))))
    }

    func requestMyInvoice(_ input: Operations.RequestMyInvoice.Input) async throws -> Operations.RequestMyInvoice.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let citizen = try principal
        let invoice = try await Invoices(store: store, database: try database).request(
            bills: request.bills, title: try request.title.domain, by: citizen, citizen: citizen.subject,
            routing: configuration.invoices.routing(orders), now: now
        )
        return .accepted(.init(body: .json(.init(invoice))))
    }
}
