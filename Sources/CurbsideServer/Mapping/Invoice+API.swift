import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

extension Components.Schemas.Invoice {
    init(_ invoice: CurbsideStore.Invoice) {
        self.init(
            id: invoice.id, status: .init(rawValue: invoice.status.rawValue)!, title: .init(invoice.title),
            bills: invoice.lines.map { .init(billNumber: $0.bill, amountFen: $0.amountFen) }, totalFen: invoice.totalFen, taxFen: invoice.taxFen,
            taxRate: invoice.taxRate, provider: .init(rawValue: invoice.provider) ?? .platform, number: invoice.issued.number,
            code: invoice.issued.code.flatMap { $0.isEmpty ? nil : $0 }, checkCode: invoice.issued.checkCode, issuedAt: invoice.issued.issuedAt,
            fileUrl: invoice.issued.fileURL, redNumber: invoice.redNumber, replaces: invoice.replaces, reason: invoice.reason, failure: invoice.failure,
            createdAt: Date(milliseconds: invoice.createdAt), finishedAt: invoice.finishedAt.map(Date.init(milliseconds:))
        )
    }
}

extension Components.Schemas.InvoiceTitle {
    init(_ title: CurbsideCore.InvoiceTitle) {
        self.init(kind: .init(rawValue: title.kind.rawValue)!, name: title.name, taxpayerId: title.taxpayerID?.rawValue)
    }

    /// The title as an invoice can carry it, or a 422 saying what is wrong.
    var domain: CurbsideCore.InvoiceTitle {
        get throws {
            do {
                return try CurbsideCore.InvoiceTitle(kind: kind == .company ? .company : .personal, name: name, taxpayerID: taxpayerId)
            } catch {
                let message = switch error {
                case .nameEmpty: "The title's name is empty."
                case let .nameTooLong(limit): "The title's name is longer than \(limit) characters."
                case .taxpayerIDMissing: "A company's title needs its taxpayer id (统一社会信用代码)."
                case let .taxpayerIDInvalid(id): "\(id) is not a unified social credit code: 18 characters whose last is its check character."
                case .taxpayerIDNotForPersons: "A personal title has no taxpayer id; choose kind company for a company."
                }
                throw APIError.invalid(BillingErrorCode.invoiceTitleInvalid, message)
            }
        }
    }
}
