import Foundation

/// What an e-invoicing service knows, in the simulators of WeChat Pay's
/// e-invoices and of an invoicing platform: invoices taken, issued a moment
/// later (seen on the second query), reversed likewise; and the faults a
/// test asks for: buyers the tax bureau refuses, a service down, or busy once.
public final class SimulatedInvoicing: @unchecked Sendable {
    public enum Status: String, Sendable {
        case accepted, issued, reversing, reversed
    }

    public struct Invoice: Sendable, Equatable {
        public var id: String
        public var application: String
        public var buyerName: String
        public var taxpayerID: String?
        public var totalFen: Int
        public var status: Status
        public var number: String?
        public var redNumber: String?
        /// Queries answered since it was last taken or its reversal was.
        var queries = 0
    }

    /// Issuing for these taxpayer ids is refused, as the tax bureau refuses an id it does not know.
    @Locked public var rejectedTaxpayers: Set<String> = []
    /// Every call is answered 503, as when the service is down.
    @Locked public var isDown = false
    /// The next issue is answered as rate-limited, once.
    @Locked public var busyOnce = false

    private let lock = NSLock()
    private var invoices: [String: Invoice] = [:]
    private var sequence = 0

    public init() {}

    public func invoice(_ id: String) -> Invoice? { lock.withLock { invoices[id] } }
    public var all: [Invoice] { lock.withLock { Array(invoices.values) } }

    /// Whether this call is answered by the rate limit (and uses it up).
    func takesBusy() -> Bool {
        lock.withLock {
            guard busyOnce else { return false }
            busyOnce = false
            return true
        }
    }

    /// Takes an invoice; the same id again is the same invoice (nil: the id was used for other money).
    func take(_ invoice: Invoice) -> Invoice? {
        lock.withLock {
            if let known = invoices[invoice.id] { return known.totalFen == invoice.totalFen && known.application == invoice.application ? known : nil }
            invoices[invoice.id] = invoice
            return invoice
        }
    }

    /// How many invoices an application holds.
    func count(application: String) -> Int { lock.withLock { invoices.values.filter { $0.application == application }.count } }

    /// The invoice as a query finds it: one taken (or being reversed) is finished by the second query.
    func query(_ id: String) -> Invoice? {
        lock.withLock {
            guard var invoice = invoices[id] else { return nil }
            if invoice.queries >= 1 {
                switch invoice.status {
                case .accepted:
                    sequence += 1
                    invoice.status = .issued
                    invoice.number = String(format: "26442000000%09d", sequence)
                case .reversing:
                    sequence += 1
                    invoice.status = .reversed
                    invoice.redNumber = String(format: "26442000000%09d", sequence)
                default: break
                }
            }
            invoice.queries += 1
            invoices[id] = invoice
            return invoice
        }
    }

    /// Takes the reversal of an issued invoice; nil when it is not issued.
    func reverse(_ id: String, number: String?) -> Invoice? {
        lock.withLock {
            guard var invoice = invoices[id] else { return nil }
            if invoice.status == .reversing || invoice.status == .reversed { return invoice }
            guard invoice.status == .issued, number == nil || number == invoice.number else { return nil }
            invoice.status = .reversing
            invoice.queries = 0
            invoices[id] = invoice
            return invoice
        }
    }
}
