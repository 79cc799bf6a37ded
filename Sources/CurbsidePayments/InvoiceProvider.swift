import CurbsideCore

/// An e-invoicing service Curbside issues invoices (电子发票) through: WeChat
/// Pay's e-invoice API for money paid by WeChat Pay, or an invoicing
/// platform (docs/invoicing-platform.md). Issuing and reversing are both
/// taken first and finished later; the provider is asked how it went.
public protocol InvoiceProvider: Sendable {
    /// `wechat` or `platform`, as invoices record it.
    var name: String { get }
    /// Asks for the invoice; asking again with the same ids is the same invoice.
    func issue(_ draft: InvoiceDraft) async throws(InvoiceProviderError) -> InvoiceProgress
    /// How the invoice stands now; nil when the provider does not know it (never taken).
    func progress(application: String, invoice: String) async throws(InvoiceProviderError) -> InvoiceProgress?
    /// Asks for the issued invoice's reversal (红冲); asking again is the same reversal.
    func reverse(application: String, invoice: String, issued: IssuedInvoice, reason: String) async throws(InvoiceProviderError) -> InvoiceProgress
}

/// A provider's refusal or silence.
public struct InvoiceProviderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The provider's code (`PARAM_ERROR`, `BUYER_INVALID`, `FREQUENCY_LIMITED`), empty when it did not answer.
    public var code: String
    public var description: String
    /// Not an answer about the invoice itself: no answer, a 5xx, a rate limit; asked again later.
    public var isRetryable: Bool

    public init(code: String, description: String, isRetryable: Bool) {
        self.code = code
        self.description = description
        self.isRetryable = isRetryable
    }
}
