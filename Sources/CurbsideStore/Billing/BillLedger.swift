import CurbsideCore
import SQLKit

/// The ledger of a few bills inside a write transaction: their rows locked,
/// their entries read back into `Ledger`, so the store applies exactly the
/// rules the property test checks, and new entries written with the bills'
/// outstanding amounts kept equal to the entries' sum.
struct BillLedger {
    let sql: any SQLDatabase
    let kind: StoreKind

    /// Locks the bills (PostgreSQL; SQLite's writer holds the database) and rebuilds their ledger.
    func load(_ numbers: [String]) async throws -> Ledger {
        let unique = Array(Set(numbers)).sorted()
        guard !unique.isEmpty else { return Ledger() }
        let list = unique.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        if kind == .postgres {
            try await sql.raw("SELECT number FROM bills WHERE number IN (\(list)) ORDER BY number FOR UPDATE").run()
        }
        struct Row: Decodable { var bill_number: String; var kind: String; var amount_fen: Int; var at_ms: Int64; var reference: String }
        let rows = try await sql.raw("""
            SELECT bill_number, kind, amount_fen, at_ms, reference FROM ledger_entries WHERE bill_number IN (\(list)) ORDER BY id
            """).all(decoding: Row.self)
        return Ledger(entries: rows.compactMap { row in
            LedgerEntry.Kind(rawValue: row.kind).map { LedgerEntry(bill: row.bill_number, kind: $0, amountFen: row.amount_fen, at: row.at_ms, reference: row.reference) }
        })
    }

    /// The city platform's fee records of new entries: each with its bill's bay and session,
    /// and money received or refunded with its payment type.
    func feeRecords(_ entries: [LedgerEntry], ledger: Ledger) async throws -> [FeedRecord] {
        struct Bill: Decodable { var number: String; var bay_code: String; var session_id: String }
        struct Channel: Decodable { var id: String; var channel: String; var scene: String? }
        let numbers = Array(Set(entries.map(\.bill))).sorted()
        let bills = Dictionary(uniqueKeysWithValues: try await sql.raw("""
            SELECT number, bay_code, session_id FROM bills WHERE number IN (\(numbers.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")))
            """).all(decoding: Bill.self).map { ($0.number, $0) })
        func payment(_ entry: LedgerEntry) -> String? {
            switch entry.kind {
            case .received: entry.reference
            case .refund: Bills.refundedPayment(ledger.entries.filter { $0.bill == entry.bill && $0.kind == .received })
            default: nil
            }
        }
        let payments = Array(Set(entries.compactMap(payment))).sorted()
        let channels = payments.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await sql.raw("""
            SELECT id, channel, scene FROM payments WHERE id IN (\(payments.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")))
            """).all(decoding: Channel.self).map { ($0.id, $0) })
        return entries.compactMap { entry in
            guard let bill = bills[entry.bill] else { return nil }
            let paid = payment(entry).flatMap { channels[$0] }
            var fee = FeedFee(
                bill: entry.bill, session: bill.session_id, kind: entry.kind, amountFen: entry.amountFen,
                paymentType: paid.flatMap { PaymentChannel(rawValue: $0.channel) }
            )
            fee.nonStop = paid.map { $0.scene == AutoPay.scene }
            return FeedRecord(kind: .fee, bay: bill.bay_code, at: entry.at, fee: fee)
        }
    }

    /// Writes new entries and brings each touched bill's outstanding amount and status up to date.
    func write(_ entries: [LedgerEntry], ledger: Ledger) async throws {
        guard !entries.isEmpty else { return }
        let values = entries.map {
            "(\(bind: $0.bill), \(bind: $0.kind.rawValue), \(bind: Int64($0.amountFen)), \(bind: $0.at), \(bind: $0.reference))" as SQLQueryString
        }.joined(separator: ", ")
        try await sql.raw("INSERT INTO ledger_entries (bill_number, kind, amount_fen, at_ms, reference) VALUES \(values)").run()
        try await FeedOutbox.add(try await feeRecords(entries, ledger: ledger), on: sql)
        try await Invoices.moneyChanged(entries, ledger: ledger, at: entries[0].at, kind: kind, on: sql)
        for bill in Set(entries.map(\.bill)).sorted() {
            let outstanding = Int64(ledger.balance(bill)?.outstanding ?? 0)
            try await sql.raw("""
                UPDATE bills SET outstanding_fen = \(bind: outstanding),
                    status = CASE WHEN status = 'void' THEN 'void' WHEN \(bind: outstanding) > 0 THEN 'unpaid' ELSE 'settled' END
                WHERE number = \(bind: bill)
                """).run()
        }
    }
}
