import AsyncHTTPClient
import Crypto
import CurbsideCore
import CurbsidePayments
import CurbsideStore
import FluentKit
import Foundation
import Logging

/// E-invoices at work: sends each requested invoice to its provider, asks
/// about those taken and not yet issued, and reverses (红冲) those whose
/// money changed, after which the corrected invoice goes. A provider that
/// does not answer, or is busy, is asked again later (1, 2, 4 ... minutes,
/// at most an hour); one that refuses an invoice for good leaves it
/// `rejected`, with its reason, and its bills free to be invoiced again.
public struct InvoiceRun: Sendable {
    /// What one round did.
    public struct Round: Sendable, Equatable {
        /// Invoices taken up: sent, asked about or reversed.
        public var claimed = 0
        public var sent = 0
        public var issued = 0
        public var rejected = 0
        public var reversed = 0

        public init() {}
    }

    /// The configured providers, by name.
    let providers: [String: any InvoiceProvider]
    let settings: InvoiceSettings
    let store: Store
    let database: any Database
    let link: @Sendable (String) -> String
    let logger = Logger(label: "curbside.invoices")

    init(providers: [String: any InvoiceProvider], settings: InvoiceSettings, store: Store, database: any Database, link: @escaping @Sendable (String) -> String) {
        self.providers = providers
        self.settings = settings
        self.store = store
        self.database = database
        self.link = link
    }

    /// The providers `settings` configures: WeChat Pay's through the merchant's client, a platform by its URL and secret.
    static func providers(_ settings: InvoiceSettings, orders: ChannelOrders, http: HTTPClient, clock: @escaping @Sendable () -> Date) -> [String: any InvoiceProvider] {
        var providers: [String: any InvoiceProvider] = [:]
        if settings.wechat, let wechat = orders.wechat { providers["wechat"] = WeChatFapiaoProvider(client: wechat) }
        if let url = settings.platformURL, let secret = settings.platformSecret {
            providers["platform"] = InvoicePlatformClient(baseURL: url, secret: SymmetricKey(data: Data(secret.utf8)), http: http, clock: clock)
        }
        return providers
    }

    /// Who can invoice what, for requests.
    var routing: InvoiceRouting {
        InvoiceRouting(wechat: providers["wechat"] != nil, platform: providers["platform"] != nil, taxRate: settings.taxRate)
    }

    public func runOnce(now: Int64, limit: Int = 50) async throws -> Round {
        var round = Round()
        let invoices = Invoices(store: store, database: database)
        for invoice in try await invoices.claimDue(now: now, limit: limit) {
            round.claimed += 1
            guard let provider = providers[invoice.provider] else {
                try await invoices.retry(invoice.id, next: now + Milliseconds.hour, failure: "the \(invoice.provider) provider is not configured")
                continue
            }
            let after = try await advance(invoice, provider: provider, invoices: invoices, now: now)
            if invoice.status == .requested { round.sent += 1 }
            switch after?.status {
            case .issued?: round.issued += 1
            case .rejected?: round.rejected += 1
            case .reversed?: round.reversed += 1
            default: break
            }
        }
        return round
    }

    /// One step with the provider; answers the invoice as it is afterwards.
    func advance(_ invoice: Invoice, provider: any InvoiceProvider, invoices: Invoices, now: Int64) async throws -> Invoice? {
        let next = now + Self.backOff(invoice.attempts)
        do {
            switch invoice.status {
            case .requested:
                return try await invoices.record(invoice.id, try await provider.issue(draft(invoice)), retryAt: next, link: link, now: now)
            case .toReverse:
                let progress = try await provider.progress(application: invoice.application, invoice: invoice.id)
                guard case let .issued(issued)? = progress else {
                    return try await invoices.record(invoice.id, progress, retryAt: next, link: link, now: now)
                }
                let reason = invoice.reason == "refund" ? "退款" : (invoice.reason ?? "退款")
                let reversal = try await provider.reverse(application: invoice.application, invoice: invoice.id, issued: issued, reason: reason)
                return try await invoices.record(invoice.id, reversal, retryAt: next, link: link, now: now)
            default:
                return try await invoices.record(
                    invoice.id, try await provider.progress(application: invoice.application, invoice: invoice.id), retryAt: next, link: link, now: now
                )
            }
        } catch let error as InvoiceProviderError {
            guard error.isRetryable || invoice.status != .requested else {
                logger.warning("invoice refused", metadata: ["invoice": "\(invoice.id)", "code": "\(error.code)"])
                try await invoices.reject(invoice.id, failure: error.description, now: now)
                return try await invoices.invoice(invoice.id)
            }
            try await invoices.retry(invoice.id, next: next, failure: error.description)
            return try await invoices.invoice(invoice.id)
        }
    }

    func draft(_ invoice: Invoice) -> InvoiceDraft {
        InvoiceDraft(
            id: invoice.id, application: invoice.application, title: invoice.title,
            lines: invoice.lines.map { InvoiceDraft.Line(bill: $0.bill, amountFen: $0.amountFen) }, taxCode: settings.taxCode, taxRate: invoice.taxRate,
            remark: "路侧停车 " + invoice.lines.map(\.bill).joined(separator: " ")
        )
    }

    /// 1, 2, 4 ... minutes, at most an hour.
    static func backOff(_ attempts: Int) -> Int64 {
        min(Milliseconds.minute << Int64(min(max(attempts - 1, 0), 6)), Milliseconds.hour)
    }
}
