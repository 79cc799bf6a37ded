import CurbsideCore
import FluentKit
import Foundation
import SQLKit

/// Issues bills for sessions that have closed and settled, writes their
/// notices to the outbox, applies prepayments, and voids the bills of
/// sessions later events showed did not happen. Every server runs it; on
/// PostgreSQL each round takes sessions no other round holds.
public struct BillingRun: Sendable {
    /// What one round did.
    public struct Round: Sendable, Equatable {
        public var examined = 0
        public var issued = 0
        /// Sessions that got no bill, by reason (free_period, outage, no_plate, unpriceable, no_tariff).
        public var noBill: [String: Int] = [:]
        public var prepaymentsApplied = 0
        public var voided = 0

        public init() {}
    }

    public let store: Store
    public let database: any Database
    public let issuer: BillIssuer
    /// A session is billed only after it has been closed, and unchanged, this long (ms):
    /// late events within it change the session, not an issued bill.
    public let settleDelay: Int64
    /// The tariff version in force for a tariff id at an instant (ms).
    public let engine: @Sendable (String, Int64) -> TariffEngine?
    /// The short payment link for a bill's pay token.
    public let link: @Sendable (String) -> String

    public init(
        store: Store, database: any Database, issuer: BillIssuer, settleDelay: Int64,
        engine: @escaping @Sendable (String, Int64) -> TariffEngine?, link: @escaping @Sendable (String) -> String
    ) {
        self.store = store
        self.database = database
        self.issuer = issuer
        self.settleDelay = settleDelay
        self.engine = engine
        self.link = link
    }

    public func runOnce(now: Int64, limit: Int = 200) async throws -> Round {
        var round = try await issue(now: now, limit: limit)
        round.voided = try await voidBills(now: now, limit: limit)
        return round
    }

    func issue(now: Int64, limit: Int) async throws -> Round {
        try await store.write(on: database) { db in
            let sql = db.sql
            let cutoff = now - settleDelay
            let skip: SQLQueryString = store.kind == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
            let due = try await sql.raw("""
                SELECT \(unsafeRaw: SessionColumns.list) FROM parking_sessions
                WHERE bill_checked_ms IS NULL AND end_ms <= \(bind: cutoff) AND status = 'closed' AND billed_ms IS NULL AND updated_ms <= \(bind: cutoff)
                ORDER BY end_ms LIMIT \(bind: limit) \(skip)
                """).all(decoding: SessionColumns.self)
            var round = Round()
            round.examined = due.count
            let registry = Registry(store: store, database: db)
            var zones: [String: ZoneRecord?] = [:]
            for columns in due {
                let row = SessionRow(columns: columns)
                if zones[row.zoneID] == nil { zones[row.zoneID] = try await registry.zone(row.zoneID) }
                let outcome = try await bill(row, zone: zones[row.zoneID] ?? nil, now: now, on: sql, round: &round)
                let billed: Int64? = outcome == "billed" ? now : nil
                try await sql.raw("""
                    UPDATE parking_sessions SET bill_checked_ms = \(bind: now), bill_outcome = \(bind: outcome), billed_ms = \(bind: billed) WHERE id = \(bind: row.id)
                    """).run()
                if outcome != "billed" { round.noBill[outcome, default: 0] += 1 }
            }
            return round
        }
    }

    /// Decides and writes one session's bill; returns the billing outcome recorded on the session.
    func bill(_ row: SessionRow, zone: ZoneRecord?, now: Int64, on sql: any SQLDatabase, round: inout Round) async throws -> String {
        guard let zone, let engine = engine(zone.spec.tariffID, row.start), let session = row.parkingSession else { return "no_tariff" }
        let permits = try await Permits.select(plate: row.plate ?? "", on: sql)
        let number = BillNumber.make()
        switch issuer.decide(session, zoneID: zone.spec.id, zoneClass: zone.spec.zoneClass, engine: engine, permits: permits, number: number, now: now) {
        case let .none(reason):
            if reason == .freePeriod || reason.isUnpriceable {
                // No bill will come of the stay: what was prepaid goes back.
                for payment in try await prepayments(session: row.id, on: sql) {
                    try await Refunds.payBack(Refund(
                        id: RandomID.make("RF", length: 14), bill: nil, payment: payment.id, amountFen: payment.amountFen, waive: false,
                        reason: "prepaid for a stay that was not charged (\(reason.code))", actor: Principal.system.description, at: now, status: .pending
                    ), on: sql)
                    try await sql.raw("UPDATE payments SET applied_ms = \(bind: now) WHERE id = \(bind: payment.id)").run()
                }
            }
            return reason.code
        case var .bill(bill):
            bill.number = try await Self.freeNumber(bill.number, on: sql)
            let token = RandomID.make("", length: 10)
            try await Self.insert(bill, token: token, on: sql)
            var ledger = Ledger()
            let entries = try ledger.issue(bill)
            try await BillLedger(sql: sql, kind: store.kind).write(entries, ledger: ledger)
            round.issued += 1
            // A plate that pays by itself is told how its deduction went instead.
            if bill.amountDueFen > 0, try await !AutoPay.schedule(bill: bill, at: now, on: sql) {
                try await NoticeOutbox.enqueue(for: bill, zoneName: zone.spec.name, link: link(token), clock: engine.clock, at: now, on: sql)
            }
            for payment in try await prepayments(session: row.id, on: sql) {
                try await Payments.applyPrepayment(payment, to: bill.number, kind: store.kind, at: now, on: sql)
                round.prepaymentsApplied += 1
            }
            return "billed"
        }
    }

    func prepayments(session: String, on sql: any SQLDatabase) async throws -> [Payment] {
        try await sql.raw("""
            SELECT \(unsafeRaw: PaymentColumns.list) FROM payments
            WHERE session_id = \(bind: session) AND purpose = 'prepay' AND status = 'paid' AND applied_ms IS NULL ORDER BY paid_ms
            """).all(decoding: PaymentColumns.self).map(\.payment)
    }

    /// Bills of sessions that turned void: what was paid is refunded and the rest is taken off.
    func voidBills(now: Int64, limit: Int) async throws -> Int {
        try await store.write(on: database) { db in
            let sql = db.sql
            struct Row: Decodable { var number: String }
            let numbers = try await sql.raw("""
                SELECT b.number FROM bills b JOIN parking_sessions s ON s.id = b.session_id
                WHERE s.status = 'void' AND b.status <> 'void' ORDER BY b.number LIMIT \(bind: limit)
                """).all(decoding: Row.self).map(\.number)
            let book = BillLedger(sql: sql, kind: store.kind)
            for number in numbers {
                var ledger = try await book.load([number])
                if case let .applied(entries) = try ledger.correct("void:\(number)", bill: number, to: 0, at: now) {
                    try await book.write(entries, ledger: ledger)
                    if let refund = entries.first(where: { $0.kind == .refund }) {
                        try await Refunds.record(refund, of: ledger, waive: true, reason: "the session was voided by later device events", by: .system, on: sql)
                    }
                }
                try await sql.raw("UPDATE bills SET status = 'void' WHERE number = \(bind: number)").run()
                try await sql.raw("DELETE FROM notices WHERE bill_number = \(bind: number) AND sent_ms IS NULL").run()
            }
            return numbers.count
        }
    }

    /// The bill number, or the first of number-2, number-3 ... not yet taken (a void
    /// session's bill may hold it when a refold starts another session in the same second).
    static func freeNumber(_ number: String, on sql: any SQLDatabase) async throws -> String {
        struct Row: Decodable { var number: String }
        // Candidates a few at a time, by the primary key: a LIKE on the number reads every bill under most collations.
        var suffixes = 1...8
        while true {
            let candidates = suffixes.map { $0 == 1 ? number : "\(number)-\($0)" }
            let taken = Set(try await sql.raw("SELECT number FROM bills WHERE number IN (\(binds: candidates))").all(decoding: Row.self).map(\.number))
            if let free = candidates.first(where: { !taken.contains($0) }) { return free }
            suffixes = suffixes.upperBound + 1...suffixes.upperBound + 8
        }
    }

    static func insert(_ bill: Bill, token: String, on sql: any SQLDatabase) async throws {
        let status = bill.amountDueFen > 0 ? StoredBill.Status.unpaid : .settled
        try await sql.raw("""
            INSERT INTO bills (number, session_id, bay_code, zone_id, plate, plate_colour, start_ms, end_ms, tariff_id, tariff_version, vehicle,
                charge_fen, waived_fen, basis, permit_id, lines, evidence, issued_ms, due_ms, outstanding_fen, status, pay_token)
            VALUES (\(bind: bill.number), \(bind: bill.sessionID), \(bind: bill.bay), \(bind: bill.zoneID), \(bind: bill.plate),
                \(bind: bill.plateColour.rawValue), \(bind: bill.start), \(bind: bill.end), \(bind: bill.tariffID), \(bind: Int32(bill.tariffVersion)),
                \(bind: bill.vehicle.rawValue), \(bind: bill.chargeFen), \(bind: bill.waivedFen), \(bind: bill.basis.rawValue),
                \(bind: bill.permitID), \(bind: try JSONText.encode(bill.lines)), \(bind: try JSONText.encode(bill.evidence)), \(bind: bill.issuedAt),
                \(bind: bill.dueAt), \(bind: bill.amountDueFen), \(bind: status.rawValue), \(bind: token))
            """).run()
    }
}

extension BillIssuer.NoBill {
    var isUnpriceable: Bool {
        if case .unpriceable = self { true } else { false }
    }

    /// As recorded on the session.
    public var code: String {
        switch self {
        case .open: "open"
        case .outage: "outage"
        case .noPlate: "no_plate"
        case .plateUnrecognised: "plate_unrecognised"
        case .unpriceable: "unpriceable"
        case .freePeriod: "free_period"
        }
    }
}
