/// An invoice as issued: what identifies it to the tax bureau, and its file where the provider offers one.
public struct IssuedInvoice: Sendable, Equatable {
    /// 发票号码 (20 digits for a fully digital invoice).
    public var number: String
    /// 发票代码; empty for fully digital invoices, which have none.
    public var code: String
    public var checkCode: String?
    /// As the provider wrote it (RFC 3339).
    public var issuedAt: String
    /// A link to the PDF or OFD; WeChat puts its invoices in the payer's WeChat card wallet instead.
    public var fileURL: String?

    public init(number: String, code: String, checkCode: String?, issuedAt: String, fileURL: String?) {
        self.number = number
        self.code = code
        self.checkCode = checkCode
        self.issuedAt = issuedAt
        self.fileURL = fileURL
    }
}

/// Where an invoice stands at its provider.
public enum InvoiceProgress: Sendable, Equatable {
    /// Taken, not issued yet.
    case accepted
    case issued(IssuedInvoice)
    /// The provider could not issue it, and says why.
    case failed(String)
    /// The reversal is taken, not finished.
    case reversing(IssuedInvoice)
    /// Reversed by a red invoice of this number.
    case reversed(red: String)
}
