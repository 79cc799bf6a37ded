import AsyncHTTPClient
import Crypto
import CurbsideCore
import Foundation
import NIOCore

/// An invoicing platform (电子发票服务平台) by the protocol in
/// docs/invoicing-platform.md: JSON over HTTPS, requests and answers signed
/// as the acquirer protocol's are (HMAC-SHA256 under a shared secret), for
/// money paid through any channel. The platform issues fully digital
/// invoices (数电票) and offers each as PDF and OFD.
public struct InvoicePlatformClient: InvoiceProvider {
    public let baseURL: String
    let secret: SymmetricKey
    let http: HTTPClient
    let timeout: TimeAmount
    let clock: @Sendable () -> Date
    public var name: String { "platform" }

    public init(baseURL: String, secret: SymmetricKey, http: HTTPClient, timeout: TimeAmount = .seconds(10), clock: @escaping @Sendable () -> Date = Date.init) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.secret = secret
        self.http = http
        self.timeout = timeout
        self.clock = clock
    }

    public func issue(_ draft: InvoiceDraft) async throws(InvoiceProviderError) -> InvoiceProgress {
        var buyer: [String: Any] = ["type": draft.title.kind.rawValue, "name": draft.title.name]
        if let id = draft.title.taxpayerID { buyer["taxpayer_id"] = id.rawValue }
        let lines: [[String: Any]] = draft.lines.map {
            let tax = InvoiceTax(includedIn: $0.amountFen, rate: draft.taxRate)
            return ["bill": $0.bill, "name": InvoiceDraft.serviceName, "tax_code": draft.taxCode, "tax_rate": draft.taxRate, "amount_fen": $0.amountFen,
                    "tax_fen": tax.taxFen]
        }
        return try await progress(try await call("POST", "/invoices", json: [
            "invoice_id": draft.id, "buyer": buyer, "lines": lines, "total_fen": draft.totalFen, "remark": draft.remark,
        ]), of: draft.id)
    }

    public func progress(application: String, invoice: String) async throws(InvoiceProviderError) -> InvoiceProgress? {
        do {
            return try progress(try await call("GET", "/invoices/\(ChannelText.escaped(invoice))", json: nil), of: invoice)
        } catch {
            if error.code == "INVOICE_NOT_FOUND" { return nil }
            throw error
        }
    }

    public func reverse(application: String, invoice: String, issued: IssuedInvoice, reason: String) async throws(InvoiceProviderError) -> InvoiceProgress {
        try progress(try await call("POST", "/invoices/\(ChannelText.escaped(invoice))/reverse", json: ["reason": reason]), of: invoice)
    }

    struct Answer: Decodable {
        var invoice_id: String
        var status: String
        var number: String?
        var issued_at: String?
        var pdf_url: String?
        var ofd_url: String?
        var red_number: String?
        var reason: String?
    }

    func progress(_ answer: Answer, of invoice: String) throws(InvoiceProviderError) -> InvoiceProgress {
        guard answer.invoice_id == invoice else { throw Self.unreadable("the answer is about \(answer.invoice_id), not \(invoice)") }
        let issued = answer.number.map {
            IssuedInvoice(number: $0, code: "", checkCode: nil, issuedAt: answer.issued_at ?? "", fileURL: answer.pdf_url ?? answer.ofd_url)
        }
        switch answer.status {
        case "ACCEPTED": return .accepted
        case "ISSUED":
            guard let issued else { throw Self.unreadable("an ISSUED invoice without its number") }
            return .issued(issued)
        case "FAILED": return .failed(answer.reason ?? "the platform could not issue it")
        case "REVERSING":
            guard let issued else { throw Self.unreadable("a REVERSING invoice without its number") }
            return .reversing(issued)
        case "REVERSED": return .reversed(red: answer.red_number ?? "")
        default: throw Self.unreadable("unknown status \(answer.status)")
        }
    }

    static func unreadable(_ reason: String) -> InvoiceProviderError {
        InvoiceProviderError(code: "", description: "the invoicing platform's answer cannot be read: \(reason)", isRetryable: true)
    }

    func call(_ method: String, _ path: String, json: [String: Any]?) async throws(InvoiceProviderError) -> Answer {
        let answer: [UInt8]
        do {
            answer = try await SignedExchange(baseURL: baseURL, secret: secret, prefix: "X-Invoicing", http: http, timeout: timeout, clock: clock)
                .send(method, path, body: try SignedExchange.json(json), limit: 1 << 20)
        } catch let failure as SignedExchange.Failure {
            switch failure {
            case let .unreachable(reason):
                throw InvoiceProviderError(code: "", description: "the invoicing platform did not answer: \(reason)", isRetryable: true)
            case let .refused(status, code, message):
                // A signature refused is this server's configuration, not the invoice: it waits until that is mended.
                throw InvoiceProviderError(
                    code: code, description: "the invoicing platform refused (\(status) \(code)): \(message)", isRetryable: status >= 500 || status == 429 || status == 401
                )
            case .unverified:
                throw InvoiceProviderError(code: "", description: "the invoicing platform's answer does not verify", isRetryable: true)
            }
        } catch {
            throw InvoiceProviderError(code: "", description: "the request could not be written: \(error)", isRetryable: false)
        }
        do {
            return try JSONDecoder().decode(Answer.self, from: Data(answer))
        } catch {
            throw Self.unreadable("\(error)")
        }
    }
}
