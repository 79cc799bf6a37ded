import CurbsideCore
import Foundation
import SQLKit

/// An e-invoice (电子发票) as Curbside keeps it: whom it is made out to, the
/// money of each bill it stands for, and how far its provider has got.
public struct Invoice: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// To be sent to the provider (again, after an attempt that went unanswered).
        case requested
        /// The provider took it and has not issued it yet.
        case issuing
        case issued
        /// The provider will not issue it, and said why; its bills may be invoiced again.
        case rejected
        /// A corrected invoice waiting for the reversal of the one it replaces.
        case waiting
        /// The money changed after it was issued (a refund) or finance reversed it: the reversal is to be sent.
        case toReverse = "to_reverse"
        /// The reversal is taken and not finished.
        case reversing
        /// Reversed by a red invoice (红冲).
        case reversed
        /// Never sent: its money changed before it went, and a corrected one took its place.
        case cancelled
    }

    /// One bill's money on the invoice.
    public struct Line: Sendable, Equatable {
        public var bill: String
        public var amountFen: Int
    }

    public var id: String
    /// The principal that asked for it (`citizen:…`, `finance:…`; `citizen:pay:<bill>` for the pay page's receipt, asked without an account).
    public var requestedBy: String
    /// The citizen told when it is issued.
    public var citizen: String?
    public var title: InvoiceTitle
    public var lines: [Line]
    public var totalFen: Int
    public var taxFen: Int
    /// Hundredths of a percent.
    public var taxRate: Int
    /// `wechat` or `platform`.
    public var provider: String
    /// What the provider files it under: a WeChat Pay transaction, or the invoice's own id.
    public var application: String
    public var status: Status
    public var issued: IssuedFields
    public var redNumber: String?
    /// The invoice this one corrects.
    public var replaces: String?
    /// Why it was reversed.
    public var reason: String?
    /// The provider's last refusal or silence.
    public var failure: String?
    public var attempts: Int
    public var createdAt: Int64
    public var finishedAt: Int64?

    /// What the provider issued: number, code and check code, the file's link.
    public struct IssuedFields: Sendable, Equatable {
        public var number: String?
        public var code: String?
        public var checkCode: String?
        public var fileURL: String?
        public var issuedAt: String?
    }
}

/// The columns of `invoices`, decoded.
struct InvoiceColumns: Decodable {
    var id: String
    var requested_by: String
    var citizen_id: String?
    var title_kind: String
    var title_name: String
    var taxpayer_id: String?
    var total_fen: Int
    var tax_fen: Int
    var tax_rate: Int
    var provider: String
    var application_id: String
    var status: String
    var number: String?
    var code: String?
    var check_code: String?
    var file_url: String?
    var issued_at: String?
    var red_number: String?
    var replaces: String?
    var reason: String?
    var failure: String?
    var attempts: Int
    var created_ms: Int64
    var finished_ms: Int64?

    static let list: SQLQueryString = """
        id, requested_by, citizen_id, title_kind, title_name, taxpayer_id, total_fen, tax_fen, tax_rate, provider, application_id, status, number, \
        code, check_code, file_url, issued_at, red_number, replaces, reason, failure, attempts, created_ms, finished_ms
        """

    func invoice(lines: [Invoice.Line]) throws -> Invoice {
        guard let kind = InvoiceTitle.Kind(rawValue: title_kind), let status = Invoice.Status(rawValue: status) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "invoice \(id) has kind \(title_kind), status \(self.status)"))
        }
        return Invoice(
            id: id, requestedBy: requested_by, citizen: citizen_id, title: try InvoiceTitle(kind: kind, name: title_name, taxpayerID: taxpayer_id),
            lines: lines, totalFen: total_fen, taxFen: tax_fen, taxRate: tax_rate, provider: provider, application: application_id, status: status,
            issued: .init(number: number, code: code, checkCode: check_code, fileURL: file_url, issuedAt: issued_at), redNumber: red_number,
            replaces: replaces, reason: reason, failure: failure, attempts: attempts, createdAt: created_ms, finishedAt: finished_ms
        )
    }
}
