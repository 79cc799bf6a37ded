import CurbsideCore
import Foundation

/// WeChat Pay's e-invoices (电子发票, API v3 `/v3/new-tax-control-fapiao`),
/// for money the payer paid by WeChat Pay: the application is the payment's
/// WeChat Pay transaction (scene WITH_WECHATPAY), so WeChat puts the invoice
/// in the payer's card wallet without asking them to authorise it; a
/// corrected invoice after a refund is a new fapiao_id on the same
/// application.
public struct WeChatFapiaoProvider: InvoiceProvider {
    public let client: WeChatPayClient
    public var name: String { "wechat" }

    public init(client: WeChatPayClient) {
        self.client = client
    }

    static let root = "/v3/new-tax-control-fapiao/fapiao-applications"
    /// Quantities are in hundred-millionths: one service.
    static let oneUnit = 100_000_000

    public func issue(_ draft: InvoiceDraft) async throws(InvoiceProviderError) -> InvoiceProgress {
        var buyer: [String: Any] = ["type": draft.title.kind == .company ? "ORGANIZATION" : "INDIVIDUAL", "name": draft.title.name]
        if let id = draft.title.taxpayerID { buyer["taxpayer_id"] = id.rawValue }
        let items: [[String: Any]] = draft.lines.map {
            ["tax_code": draft.taxCode, "goods_name": InvoiceDraft.serviceName, "specification": $0.bill, "unit": "次", "quantity": Self.oneUnit,
             "total_amount": $0.amountFen, "discount": false]
        }
        _ = try await call("POST", Self.root, json: [
            "scene": "WITH_WECHATPAY", "fapiao_apply_id": draft.application, "buyer_information": buyer,
            "fapiao_information": [["fapiao_id": draft.id, "total_amount": draft.totalFen, "need_list": false, "remark": draft.remark, "items": items]],
        ])
        return .accepted
    }

    public func progress(application: String, invoice: String) async throws(InvoiceProviderError) -> InvoiceProgress? {
        let answer: [UInt8]
        do {
            answer = try await client.send("GET", "\(Self.root)/\(ChannelText.escaped(application))?fapiao_id=\(ChannelText.escaped(invoice))", json: nil)
        } catch {
            if error.code == "RESOURCE_NOT_EXISTS" || error.code == "NOT_FOUND" { return nil }
            throw Self.error(error)
        }
        struct Fapiao: Decodable {
            struct Ticket: Decodable { var fapiao_code: String?; var fapiao_number: String; var check_code: String?; var fapiao_time: String }
            var fapiao_id: String
            var status: String
            var blue_fapiao: Ticket?
            var red_fapiao: Ticket?
        }
        struct Answer: Decodable { var fapiao_information: [Fapiao]? }
        let fapiao: Fapiao
        do {
            guard let found = try JSONDecoder().decode(Answer.self, from: Data(answer)).fapiao_information?.first(where: { $0.fapiao_id == invoice }) else {
                return nil
            }
            fapiao = found
        } catch {
            throw InvoiceProviderError(code: "", description: "WeChat Pay's answer cannot be read: \(error)", isRetryable: true)
        }
        let blue = fapiao.blue_fapiao.map {
            IssuedInvoice(number: $0.fapiao_number, code: $0.fapiao_code ?? "", checkCode: $0.check_code, issuedAt: $0.fapiao_time, fileURL: nil)
        }
        switch fapiao.status {
        case "ISSUE_ACCEPTED": return .accepted
        case "ISSUED":
            guard let blue else { throw Self.unreadable("an ISSUED fapiao without blue_fapiao") }
            return .issued(blue)
        case "ISSUE_FAILED": return .failed("WeChat Pay could not issue the fapiao")
        case "REVERSE_ACCEPTED":
            guard let blue else { throw Self.unreadable("a REVERSE_ACCEPTED fapiao without blue_fapiao") }
            return .reversing(blue)
        case "REVERSED": return .reversed(red: fapiao.red_fapiao?.fapiao_number ?? "")
        default: throw Self.unreadable("unknown fapiao status \(fapiao.status)")
        }
    }

    public func reverse(application: String, invoice: String, issued: IssuedInvoice, reason: String) async throws(InvoiceProviderError) -> InvoiceProgress {
        _ = try await call("POST", "\(Self.root)/\(ChannelText.escaped(application))/reverse", json: [
            "reverse_reason": reason,
            "fapiao_information": [["fapiao_id": invoice, "fapiao_code": issued.code, "fapiao_number": issued.number]],
        ])
        return .reversing(issued)
    }

    func call(_ method: String, _ path: String, json: [String: Any]) async throws(InvoiceProviderError) -> [UInt8] {
        do {
            return try await client.send(method, path, json: json)
        } catch {
            throw Self.error(error)
        }
    }

    static func unreadable(_ reason: String) -> InvoiceProviderError {
        InvoiceProviderError(code: "", description: "WeChat Pay's answer cannot be read: \(reason)", isRetryable: true)
    }

    static func error(_ error: WeChatPayError) -> InvoiceProviderError {
        let retryable = switch error {
        case .unreachable, .malformedAnswer, .unverifiedAnswer: true
        // A signature refused is this server's configuration, not the invoice: it waits until that is mended.
        case let .refused(status, code, _): status >= 500 || status == 429 || status == 401 || code == "SYSTEM_ERROR" || code == "FREQUENCY_LIMITED"
        }
        return InvoiceProviderError(code: error.code, description: error.description, isRetryable: retryable)
    }
}
