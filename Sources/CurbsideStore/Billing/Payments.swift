import CurbsideCore
import FluentKit
import SQLKit

/// Creates payments and settles them, exactly once, when the channel says so.
public struct Payments: Sendable {
    /// What became of a channel's notification.
    public enum Settlement: Sendable, Equatable {
        /// Applied now.
        case settled(Payment)
        /// Applied before: a repeated notification, acknowledged and ignored.
        case duplicate(Payment)
        /// The channel reports a payment that did not succeed (closed, refunded): nothing to apply.
        case notPaid(Payment)
        /// Refused: it does not match the payment Curbside created. `code` is machine-readable.
        case refused(code: String, message: String)
    }

    /// Channels close an unpaid order after this long (WeChat's and Alipay's default is longer; ours keeps quotes fresh).
    public static let orderLifetime: Int64 = 30 * Milliseconds.minute

    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    public func payment(_ id: String) async throws -> Payment? {
        let sql = database.sql
        return try await sql.raw("SELECT \(unsafeRaw: PaymentColumns.list) FROM payments WHERE id = \(bind: id)").first(decoding: PaymentColumns.self)?.payment
    }

    public func payments(citizen: String, limit: Int = 100) async throws -> [Payment] {
        let sql = database.sql
        return try await sql.raw("""
            SELECT \(unsafeRaw: PaymentColumns.list) FROM payments WHERE citizen_id = \(bind: citizen) ORDER BY created_ms DESC LIMIT \(bind: limit)
            """).all(decoding: PaymentColumns.self).map(\.payment)
    }

    /// The payments a bill received, oldest first: its receipts.
    public func payments(bill: String) async throws -> [Payment] {
        try await database.sql.raw("""
            SELECT \(unsafeRaw: PaymentColumns.list) FROM payments
            WHERE id IN (SELECT reference FROM ledger_entries WHERE bill_number = \(bind: bill) AND kind = 'received') ORDER BY paid_ms, id
            """).all(decoding: PaymentColumns.self).map(\.payment)
    }

    /// A payment of everything the bills still owe. Through the wallet or in
    /// cash it is taken at once; through any other channel it waits for the
    /// channel's notification. `scene` is `auto_pay` for a non-stop deduction.
    public func payBills(
        _ numbers: [String], channel: PaymentChannel, citizen: String?, collectedBy: Principal?, shift: String? = nil, scene: String? = nil, now: Int64
    ) async throws -> Payment {
        try await store.write(on: database) { db in
            let sql = db.sql
            let book = BillLedger(sql: sql, kind: store.kind)
            var ledger = try await book.load(numbers)
            var allocations: [Payment.Allocation] = []
            for number in numbers where !allocations.contains(where: { $0.bill == number }) {
                guard let balance = ledger.balance(number) else { throw BillingError.billNotFound(number) }
                guard balance.outstanding > 0 else { throw BillingError.nothingOwed(number) }
                allocations.append(.init(bill: number, fen: balance.outstanding))
            }
            var payment = Self.new(channel: channel, purpose: .bills, citizen: citizen, session: nil, allocations: allocations, now: now)
            payment.collectedBy = collectedBy?.description
            guard channel == .wallet || channel == .cash else {
                try await Self.insert(payment, on: sql)
                if let scene { try await sql.raw("UPDATE payments SET scene = \(bind: scene) WHERE id = \(bind: payment.id)").run() }
                return payment
            }
            if channel == .wallet {
                guard let citizen else { throw BillingError.walletShort(balance: 0, needed: payment.amountFen) }
                try await Self.debitWallet(citizen, fen: payment.amountFen, reference: payment.id, kind: store.kind, at: now, on: sql)
            }
            do {
                guard case let .applied(entries) = try ledger.pay(payment.id, allocations.map { ($0.bill, $0.fen) }, at: now) else {
                    throw BillingError.duplicateID(payment.id)
                }
                payment.status = .paid
                payment.paidAt = now
                payment.transactionID = payment.id
                try await Self.insert(payment, on: sql)
                if let shift { try await sql.raw("UPDATE payments SET shift_id = \(bind: shift) WHERE id = \(bind: payment.id)").run() }
                if let scene { try await sql.raw("UPDATE payments SET scene = \(bind: scene) WHERE id = \(bind: payment.id)").run() }
                try await book.write(entries, ledger: ledger)
            } catch let refusal as Ledger.Refusal {
                throw BillingError.ledger(refusal)
            }
            if let collectedBy {
                var detail = ["amount_fen": String(payment.amountFen), "bills": numbers.joined(separator: ",")]
                detail["shift"] = shift
                try await AuditLog.record("collect_cash", subject: payment.id, by: collectedBy, detail: detail, at: now, on: sql)
            }
            return payment
        }
    }

    /// A payment for a car still parked, of `fen` (the stay so far, quoted by the caller).
    public func prepay(session: String, fen: Int, channel: PaymentChannel, citizen: String?, now: Int64) async throws -> Payment {
        try await store.write(on: database) { db in
            let sql = db.sql
            struct Row: Decodable { var status: String }
            guard try await sql.raw("SELECT status FROM parking_sessions WHERE id = \(bind: session)").first(decoding: Row.self)?.status == "open" else {
                throw BillingError.sessionNotOpen(session)
            }
            let payment = Self.new(channel: channel, purpose: .prepay, citizen: citizen, session: session, allocations: [], amount: fen, now: now)
            try await Self.insert(payment, on: sql)
            return payment
        }
    }

    /// Money into a citizen's wallet, through a channel.
    public func topUp(citizen: String, fen: Int, channel: PaymentChannel, now: Int64) async throws -> Payment {
        let payment = Self.new(channel: channel, purpose: .topUp, citizen: citizen, session: nil, allocations: [], amount: fen, now: now)
        try await store.write(on: database) { db in try await Self.insert(payment, on: db.sql) }
        return payment
    }

    /// Applies a channel's verified notification, or the signed answer to our query, once: checks it
    /// against the payment created (channel, amount, currency), then settles the bills, holds a
    /// prepayment for its bill, or credits the wallet. A payment closed unpaid that the channel reports
    /// paid after all (its notification came late) is settled the same way: the money was taken, and
    /// whatever the bills no longer owe is refunded. Every notification is recorded with what became of
    /// it and `source` (empty for a notification).
    public func settle(_ notification: ChannelNotification, now: Int64, source: String = "") async throws -> Settlement {
        let outcome = try await store.write(on: database) { db -> Settlement in
            let sql = db.sql
            let lock: SQLQueryString = store.kind == .postgres ? "FOR UPDATE" : ""
            guard var payment = try await sql.raw("""
                SELECT \(unsafeRaw: PaymentColumns.list) FROM payments WHERE id = \(bind: notification.paymentID) \(lock)
                """).first(decoding: PaymentColumns.self)?.payment
            else { return .refused(code: "payment_not_found", message: "No payment \(notification.paymentID).") }
            if let refusal = Self.mismatch(notification, payment) { return refusal }
            let settlement: Settlement
            if payment.status == .paid {
                guard payment.transactionID == notification.transactionID else {
                    return .refused(code: "transaction_conflict", message: "Payment \(payment.id) was settled by transaction \(payment.transactionID ?? "?").")
                }
                settlement = .duplicate(payment)
            } else if !notification.succeeded {
                settlement = .notPaid(payment)
            } else {
                payment.status = .paid
                payment.paidAt = now
                payment.transactionID = notification.transactionID
                try await sql.raw("""
                    UPDATE payments SET status = 'paid', paid_ms = \(bind: now), transaction_id = \(bind: notification.transactionID), check_ms = NULL
                    WHERE id = \(bind: payment.id)
                    """).run()
                switch payment.purpose {
                case .bills:
                    try await Self.apply(payment, kind: store.kind, at: now, on: sql)
                case .prepay:
                    struct Issued: Decodable { var number: String }
                    if let bill = try await sql.raw("SELECT number FROM bills WHERE session_id = \(bind: payment.sessionID ?? "")")
                        .first(decoding: Issued.self)?.number {
                        try await Self.applyPrepayment(payment, to: bill, kind: store.kind, at: now, on: sql)
                        payment.appliedAt = now
                    }
                case .topUp:
                    try await Self.creditWallet(payment.citizenID ?? "", fen: payment.amountFen, reference: payment.id, at: now, on: sql)
                }
                settlement = .settled(payment)
            }
            try await Self.record(notification, outcome: settlement.code, detail: source, at: now, on: sql)
            return settlement
        }
        if case let .refused(code, message) = outcome {
            try await store.write(on: database) { db in
                try await Self.record(notification, outcome: code, detail: message, at: now, on: db.sql)
            }
        }
        return outcome
    }

    /// Records a notification refused before it could be read or believed (a bad signature, a stale timestamp).
    public func recordRefused(channel: PaymentChannel, code: String, detail: String, now: Int64) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("""
                INSERT INTO channel_notifications (channel, outcome, detail, received_ms) VALUES (\(bind: channel.rawValue), \(bind: code), \(bind: detail), \(bind: now))
                """).run()
        }
    }

    /// What the channel reports paid, as our side of a reconciliation: payments
    /// confirmed through `channel` in [from, until).
    public func received(channel: PaymentChannel, from: Int64, until: Int64) async throws -> [Reconciliation.Line] {
        struct Row: Decodable { var id: String; var transaction_id: String?; var amount_fen: Int }
        let sql = database.sql
        return try await sql.raw("""
            SELECT id, transaction_id, amount_fen FROM payments
            WHERE channel = \(bind: channel.rawValue) AND status = 'paid' AND paid_ms >= \(bind: from) AND paid_ms < \(bind: until) ORDER BY id
            """).all(decoding: Row.self).map { Reconciliation.Line(paymentID: $0.id, transactionID: $0.transaction_id ?? "", amountFen: $0.amount_fen) }
    }

    /// Prepaid for a parked car's session and not yet applied to a bill.
    public func prepaid(session: String) async throws -> Int {
        struct Row: Decodable { var total: Int? }
        return try await database.sql.raw("""
            SELECT CAST(SUM(amount_fen) AS BIGINT) AS total FROM payments
            WHERE session_id = \(bind: session) AND purpose = 'prepay' AND status = 'paid' AND applied_ms IS NULL
            """).first(decoding: Row.self)?.total ?? 0
    }

    public func walletBalance(_ citizen: String) async throws -> Int {
        try await Self.walletBalance(citizen, on: database.sql)
    }

    // MARK: - Inside transactions

    static func mismatch(_ notification: ChannelNotification, _ payment: Payment) -> Settlement? {
        if notification.channel != payment.channel {
            return .refused(code: "channel_mismatch", message: "Payment \(payment.id) was made for \(payment.channel.rawValue), not \(notification.channel.rawValue).")
        }
        if notification.currency != payment.currency {
            return .refused(code: "currency_mismatch", message: "Payment \(payment.id) is in \(payment.currency), not \(notification.currency).")
        }
        if notification.amountFen != payment.amountFen {
            return .refused(code: "amount_mismatch", message: "Payment \(payment.id) is for \(payment.amountFen) fen, not \(notification.amountFen).")
        }
        return nil
    }

    /// Settles a confirmed payment's bills; money for a bill settled meanwhile is refunded at once.
    /// Returns what was refunded.
    @discardableResult
    static func apply(_ payment: Payment, kind: StoreKind, at now: Int64, on sql: any SQLDatabase) async throws -> Int {
        let book = BillLedger(sql: sql, kind: kind)
        var ledger = try await book.load(payment.allocations.map(\.bill))
        guard case let .applied(entries) = try ledger.settle(payment.id, payment.allocations.map { ($0.bill, $0.fen) }, at: now) else { return 0 }
        try await book.write(entries, ledger: ledger)
        var refunded = 0
        for entry in entries where entry.kind == .refund {
            try await Refunds.record(entry, of: ledger, waive: false, reason: "paid after the bill was already settled", by: .system, on: sql)
            refunded += entry.amountFen
        }
        return refunded
    }

    /// Applies a paid prepayment to the bill its stay was issued.
    static func applyPrepayment(_ payment: Payment, to bill: String, kind: StoreKind, at now: Int64, on sql: any SQLDatabase) async throws {
        var allocated = payment
        allocated.allocations = [.init(bill: bill, fen: payment.amountFen)]
        try await apply(allocated, kind: kind, at: now, on: sql)
        try await sql.raw("""
            UPDATE payments SET applied_ms = \(bind: now), allocations = \(bind: try JSONText.encode(allocated.allocations)) WHERE id = \(bind: payment.id)
            """).run()
    }

    static func new(
        channel: PaymentChannel, purpose: Payment.Purpose, citizen: String?, session: String?, allocations: [Payment.Allocation],
        amount: Int? = nil, now: Int64
    ) -> Payment {
        Payment(
            id: RandomID.make("PAY", length: 17), channel: channel, purpose: purpose, citizenID: citizen, sessionID: session,
            allocations: allocations, amountFen: amount ?? allocations.reduce(0) { $0 + $1.fen }, currency: "CNY", status: .pending,
            createdAt: now, expiresAt: now + orderLifetime, paidAt: nil, transactionID: nil, appliedAt: nil, collectedBy: nil
        )
    }

    static func insert(_ payment: Payment, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO payments (id, channel, purpose, citizen_id, session_id, allocations, amount_fen, currency, status, created_ms, expires_ms,
                paid_ms, transaction_id, collected_by)
            VALUES (\(bind: payment.id), \(bind: payment.channel.rawValue), \(bind: payment.purpose.rawValue), \(bind: payment.citizenID),
                \(bind: payment.sessionID), \(bind: try JSONText.encode(payment.allocations)), \(bind: payment.amountFen), \(bind: payment.currency),
                \(bind: payment.status.rawValue), \(bind: payment.createdAt), \(bind: payment.expiresAt), \(bind: payment.paidAt),
                \(bind: payment.transactionID), \(bind: payment.collectedBy))
            """).run()
    }

    static func record(_ notification: ChannelNotification, outcome: String, detail: String, at now: Int64, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO channel_notifications (channel, payment_id, transaction_id, amount_fen, outcome, detail, received_ms)
            VALUES (\(bind: notification.channel.rawValue), \(bind: notification.paymentID), \(bind: notification.transactionID),
                    \(bind: notification.amountFen), \(bind: outcome), \(bind: detail), \(bind: now))
            """).run()
    }

    static func walletBalance(_ citizen: String, on sql: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { var total: Int? }
        return try await sql.raw("SELECT CAST(SUM(amount_fen) AS BIGINT) AS total FROM wallet_entries WHERE citizen_id = \(bind: citizen)").first(decoding: Row.self)?.total ?? 0
    }

    static func debitWallet(_ citizen: String, fen: Int, reference: String, kind: StoreKind, at now: Int64, on sql: any SQLDatabase) async throws {
        if kind == .postgres {
            // Two payments from one wallet at once must not both see the same balance.
            try await sql.raw("SELECT id FROM citizens WHERE id = \(bind: citizen) FOR UPDATE").run()
        }
        let balance = try await walletBalance(citizen, on: sql)
        guard balance >= fen else { throw BillingError.walletShort(balance: balance, needed: fen) }
        try await creditWallet(citizen, fen: -fen, reference: reference, at: now, on: sql)
    }

    static func creditWallet(_ citizen: String, fen: Int, reference: String, at now: Int64, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO wallet_entries (citizen_id, amount_fen, reference, at_ms) VALUES (\(bind: citizen), \(bind: fen), \(bind: reference), \(bind: now))
            """).run()
    }
}

extension Payments.Settlement {
    /// How the notification is recorded.
    public var code: String {
        switch self {
        case .settled: "settled"
        case .duplicate: "duplicate"
        case .notPaid: "not_paid"
        case let .refused(code, _): code
        }
    }
}
