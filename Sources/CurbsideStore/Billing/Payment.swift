import CurbsideCore

/// A payment Curbside created: what it pays for, through which channel, and
/// whether the channel has confirmed it. Its id is the channel's
/// out_trade_no, so the channel's notifications and statements name it.
public struct Payment: Sendable, Equatable, Codable {
    public enum Purpose: String, Sendable, Codable {
        /// One or several issued bills.
        case bills
        /// A car still parked, before it leaves: applied to its bill when issued.
        case prepay
        /// Money into the citizen's wallet.
        case topUp = "top_up"
    }

    public enum Status: String, Sendable, Codable {
        /// Created; the channel has not confirmed it.
        case pending
        /// The channel confirmed it (or, for wallet and cash, it was taken at once).
        case paid
        /// Expired unpaid; its order was closed with the channel.
        case closed
    }

    public struct Allocation: Sendable, Equatable, Codable {
        public var bill: String
        public var fen: Int
    }

    public var id: String
    public var channel: PaymentChannel
    public var purpose: Purpose
    public var citizenID: String?
    /// The parked car's session, for a prepayment.
    public var sessionID: String?
    public var allocations: [Allocation]
    public var amountFen: Int
    public var currency: String
    public var status: Status
    public var createdAt: Int64
    /// Channels close unpaid orders after this.
    public var expiresAt: Int64
    public var paidAt: Int64?
    public var transactionID: String?
    /// When a prepayment was applied to its bill.
    public var appliedAt: Int64?
    /// The officer who took cash.
    public var collectedBy: String?
    /// When Curbside placed the order with the channel; only such orders are followed up.
    public var orderPlacedAt: Int64? = nil
    /// What the channel gave to pay the order by, for a QR code: WeChat's code_url, Alipay's qr_code.
    public var orderCode: String? = nil
    /// Times the channel was asked about it.
    public var checks = 0
    public var closedAt: Int64? = nil
}

/// The columns of payments as SQL rows decode them.
struct PaymentColumns: Decodable {
    var id: String
    var channel: String
    var purpose: String
    var citizen_id: String?
    var session_id: String?
    var allocations: String
    var amount_fen: Int
    var currency: String
    var status: String
    var created_ms: Int64
    var expires_ms: Int64
    var paid_ms: Int64?
    var transaction_id: String?
    var applied_ms: Int64?
    var collected_by: String?
    var order_ms: Int64?
    var order_code: String?
    var checks: Int
    var closed_ms: Int64?

    static let list = """
        id, channel, purpose, citizen_id, session_id, allocations, amount_fen, currency, status, created_ms, expires_ms, paid_ms, \
        transaction_id, applied_ms, collected_by, order_ms, order_code, checks, closed_ms
        """

    var payment: Payment {
        Payment(
            id: id, channel: PaymentChannel(rawValue: channel) ?? .cash, purpose: Payment.Purpose(rawValue: purpose) ?? .bills,
            citizenID: citizen_id, sessionID: session_id,
            allocations: (try? JSONText.decode([Payment.Allocation].self, allocations)) ?? [], amountFen: amount_fen, currency: currency,
            status: Payment.Status(rawValue: status) ?? .pending, createdAt: created_ms, expiresAt: expires_ms, paidAt: paid_ms,
            transactionID: transaction_id, appliedAt: applied_ms, collectedBy: collected_by, orderPlacedAt: order_ms, orderCode: order_code, checks: checks,
            closedAt: closed_ms
        )
    }
}
