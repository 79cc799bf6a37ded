import CurbsideCore
import FluentKit
import SQLKit

/// How a plate set up for non-stop payment (无感支付) pays.
public enum AutoPayMethod: String, Sendable, Codable, CaseIterable {
    /// From the citizen's Curbside wallet.
    case wallet
    /// Through WeChat Pay's parking service (微信支付分停车服务).
    case wechat
    /// Through Alipay's parking deduction (支付宝停车代扣).
    case alipay

    public var channel: PaymentChannel {
        switch self {
        case .wallet: .wallet
        case .wechat: .wechat
        case .alipay: .alipay
        }
    }

    /// Whether each stay is entered with the channel while the car is parked.
    public var entersStays: Bool { self != .wallet }
}

/// A bill's deduction: one per bill of a plate set up for non-stop payment.
public struct AutoDebit: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        /// To be asked for (again, after an attempt that went unanswered).
        case pending
        /// The channel took it and will charge the account; followed up until it says how it went.
        case requested
        case succeeded
        /// Not paid this way, with the reason; the bill goes the ordinary way (notice, arrears ladder).
        case failed
        /// The bill was paid or voided another way before it was asked for.
        case cancelled
    }

    public var bill: String
    public var citizen: String
    public var method: AutoPayMethod
    public var state: State
    public var paymentID: String?
    public var attempts: Int
    public var failure: String?
    public var createdAt: Int64
    public var finishedAt: Int64?
}

/// Non-stop payment: which plates pay by themselves, and each bill's deduction
/// from when the bill is issued (in its transaction, instead of the notice to
/// pay) until it is paid, or fails and the bill goes the ordinary way.
public struct AutoPay: Sendable {
    /// The `scene` of payments made by a deduction.
    public static let scene = "auto_pay"
    /// A claimed deduction is the claimer's for this long.
    public static let lease: Int64 = Milliseconds.minute

    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    // MARK: - Setting up

    /// Sets the plate to pay by `method`; a plate pays through one citizen, so another's plate is refused. One statement: two
    /// citizens setting the same plate at once get one yes and one refusal.
    public func enable(citizen: String, plate: String, colour: PlateColour, method: AutoPayMethod, now: Int64) async throws {
        struct Row: Decodable { var plate: String }
        let set = try await store.write(on: database) { db in
            try await db.sql.raw("""
                INSERT INTO auto_pay (plate, plate_colour, citizen_id, method, enabled_ms)
                VALUES (\(bind: plate), \(bind: colour.rawValue), \(bind: citizen), \(bind: method.rawValue), \(bind: now))
                ON CONFLICT (plate, plate_colour) DO UPDATE SET method = excluded.method, enabled_ms = excluded.enabled_ms
                WHERE auto_pay.citizen_id = excluded.citizen_id RETURNING plate
                """).all(decoding: Row.self)
        }
        guard !set.isEmpty else { throw BillingError.autoPayTaken(plate) }
    }

    /// Stops the citizen's plate paying by itself; false when it did not.
    public func disable(citizen: String, plate: String, colour: PlateColour) async throws -> Bool {
        try await store.write(on: database) { db in
            struct Row: Decodable { var plate: String }
            return try await !db.sql.raw("""
                DELETE FROM auto_pay WHERE citizen_id = \(bind: citizen) AND plate = \(bind: plate) AND plate_colour = \(bind: colour.rawValue) RETURNING plate
                """).all(decoding: Row.self).isEmpty
        }
    }

    /// The citizen's plates that pay by themselves, by "plate/colour".
    public func methods(citizen: String) async throws -> [String: AutoPayMethod] {
        struct Row: Decodable { var plate: String; var plate_colour: String; var method: String }
        return try await database.sql.raw("SELECT plate, plate_colour, method FROM auto_pay WHERE citizen_id = \(bind: citizen)")
            .all(decoding: Row.self).reduce(into: [:]) { $0["\($1.plate)/\($1.plate_colour)"] = AutoPayMethod(rawValue: $1.method) }
    }

    /// Links the citizen's WeChat user (openid, in our application), which WeChat Pay's parking service knows them by.
    public func linkWeChat(citizen: String, openID: String) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("UPDATE citizens SET wechat_openid = \(bind: openID) WHERE id = \(bind: citizen)").run()
        }
    }

    public func weChatOpenID(citizen: String) async throws -> String? {
        struct Row: Decodable { var wechat_openid: String? }
        return try await database.sql.raw("SELECT wechat_openid FROM citizens WHERE id = \(bind: citizen)").first(decoding: Row.self)?.wechat_openid
    }

    // MARK: - Deductions

    /// Called as a bill is issued, in its transaction: when its plate pays by itself, its deduction is scheduled
    /// and true is answered (the notice waits for the outcome); otherwise false.
    static func schedule(bill: Bill, at now: Int64, on sql: any SQLDatabase) async throws -> Bool {
        struct Row: Decodable { var citizen_id: String; var method: String }
        guard let row = try await sql.raw("""
            SELECT citizen_id, method FROM auto_pay WHERE plate = \(bind: bill.plate) AND plate_colour = \(bind: bill.plateColour.rawValue)
            """).first(decoding: Row.self) else { return false }
        try await sql.raw("""
            INSERT INTO auto_debits (bill_number, citizen_id, method, state, attempts, next_ms, created_ms)
            VALUES (\(bind: bill.number), \(bind: row.citizen_id), \(bind: row.method), 'pending', 0, \(bind: now), \(bind: now))
            """).run()
        return true
    }

    /// Claims up to `limit` deductions due at `now` (to ask for, or to ask about), leased to the caller.
    public func claimDue(now: Int64, limit: Int) async throws -> [AutoDebit] {
        try await store.write(on: database) { db in
            let sql = db.sql
            let skip: SQLQueryString = store.kind == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
            let due = try await sql.raw("""
                SELECT \(Self.columns) FROM auto_debits WHERE state IN ('pending', 'requested') AND next_ms <= \(bind: now)
                ORDER BY next_ms, bill_number LIMIT \(bind: limit) \(skip)
                """).all(decoding: AutoDebitColumns.self).map(\.debit)
            guard !due.isEmpty else { return [] }
            try await sql.raw("""
                UPDATE auto_debits SET next_ms = \(bind: now + Self.lease), attempts = attempts + 1 WHERE bill_number IN (\(binds: due.map(\.bill)))
                """).run()
            return due
        }
    }

    public func debit(bill: String) async throws -> AutoDebit? {
        try await database.sql.raw("SELECT \(Self.columns) FROM auto_debits WHERE bill_number = \(bind: bill)").first(decoding: AutoDebitColumns.self)?.debit
    }

    public func debit(payment: String) async throws -> AutoDebit? {
        try await database.sql.raw("SELECT \(Self.columns) FROM auto_debits WHERE payment_id = \(bind: payment)").first(decoding: AutoDebitColumns.self)?.debit
    }

    /// The payment a deduction asks the channel for, recorded before it is asked: asked again, it is the same payment.
    public func attach(payment: String, to bill: String) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("UPDATE auto_debits SET payment_id = \(bind: payment) WHERE bill_number = \(bind: bill)").run()
        }
    }

    /// The channel took the deduction (or has not charged it yet): asked about again at `next`.
    public func requested(_ bill: String, next: Int64) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("""
                UPDATE auto_debits SET state = 'requested', next_ms = \(bind: next) WHERE bill_number = \(bind: bill) AND state IN ('pending', 'requested')
                """).run()
        }
    }

    /// Not answered: asked again at `next`.
    public func retry(_ bill: String, next: Int64, reason: String) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("""
                UPDATE auto_debits SET next_ms = \(bind: next), failure = \(bind: reason) WHERE bill_number = \(bind: bill) AND state IN ('pending', 'requested')
                """).run()
        }
    }

    /// Finishes a deduction once: paid (the citizen is told it was paid by itself), failed (told why, with the
    /// pay link: the ordinary notice) or cancelled (paid another way; nothing to tell). Returns false when it had
    /// already finished, so nothing is told twice.
    @discardableResult
    public func finish(
        _ bill: String, as state: AutoDebit.State, failure: String? = nil, link: @escaping @Sendable (String) -> String, clock: ZoneClock, now: Int64
    ) async throws -> Bool {
        try await store.write(on: database) { db in
            let sql = db.sql
            struct Finished: Decodable { var method: String }
            guard let finished = try await sql.raw("""
                UPDATE auto_debits SET state = \(bind: state.rawValue), failure = \(bind: failure), finished_ms = \(bind: now), next_ms = NULL
                WHERE bill_number = \(bind: bill) AND state IN ('pending', 'requested') RETURNING method
                """).first(decoding: Finished.self) else { return false }
            guard state != .cancelled else { return true }
            struct Row: Decodable {
                var plate: String; var plate_colour: String; var start_ms: Int64; var due_ms: Int64; var due_fen: Int; var pay_token: String
            }
            guard let row = try await sql.raw("""
                SELECT plate, plate_colour, start_ms, due_ms, charge_fen - waived_fen AS due_fen, pay_token FROM bills WHERE number = \(bind: bill)
                """).first(decoding: Row.self) else { return true }
            func date(_ ms: Int64) -> String { String(LocalDateTime.format(ms / 1000, in: clock).prefix(10)) }
            let channel = AutoPayMethod(rawValue: finished.method)?.channel
            try await NoticeOutbox.enqueue(
                state == .succeeded ? .autoDebitDone : .autoDebitFailed, bill: bill, plate: row.plate, colour: row.plate_colour, parameters: { language in [
                    "plate": row.plate, "date": date(row.start_ms), "amount": Money.yuan(row.due_fen), "bill": bill,
                    "channel": channel?.name(in: language) ?? finished.method, "reason": failure ?? "", "due": date(row.due_ms),
                ] }, link: link(row.pay_token), at: now, on: sql
            )
            return true
        }
    }

    /// What a deduction charges: the bill's stay and what it still owes.
    public struct Charge: Sendable, Equatable {
        public var bill: String
        public var session: String
        public var plate: String
        public var colour: PlateColour
        public var start: Int64
        public var end: Int64
        public var bay: String
        /// The zone's name and the bay, as the channel shows the parking.
        public var place: String
        public var outstandingFen: Int
    }

    public func charge(bill: String) async throws -> Charge? {
        struct Row: Decodable {
            var number: String; var session_id: String; var plate: String; var plate_colour: String; var start_ms: Int64; var end_ms: Int64
            var bay_code: String; var zone_name: String; var outstanding_fen: Int
        }
        return try await database.sql.raw("""
            SELECT b.number, b.session_id, b.plate, b.plate_colour, b.start_ms, b.end_ms, b.bay_code, z.name AS zone_name, b.outstanding_fen
            FROM bills b JOIN zones z ON z.id = b.zone_id WHERE b.number = \(bind: bill)
            """).first(decoding: Row.self).map {
            Charge(
                bill: $0.number, session: $0.session_id, plate: $0.plate, colour: PlateColour(rawValue: $0.plate_colour) ?? .unknown, start: $0.start_ms,
                end: $0.end_ms, bay: $0.bay_code, place: "\($0.zone_name) \($0.bay_code)", outstandingFen: $0.outstanding_fen
            )
        }
    }

    static let columns: SQLQueryString = "bill_number, citizen_id, method, state, payment_id, attempts, failure, created_ms, finished_ms"
}

struct AutoDebitColumns: Decodable {
    var bill_number: String
    var citizen_id: String
    var method: String
    var state: String
    var payment_id: String?
    var attempts: Int
    var failure: String?
    var created_ms: Int64
    var finished_ms: Int64?

    var debit: AutoDebit {
        AutoDebit(
            bill: bill_number, citizen: citizen_id, method: AutoPayMethod(rawValue: method) ?? .wallet, state: AutoDebit.State(rawValue: state) ?? .failed,
            paymentID: payment_id, attempts: attempts, failure: failure, createdAt: created_ms, finishedAt: finished_ms
        )
    }
}
