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

    /// New entries with their bills' zone, bay, segment and due time and the channel and scene of the payment
    /// each received or refunded money went through (a refund's: the bill's latest payment received before it).
    func attributions(_ entries: [LedgerEntry], ledger: Ledger) async throws -> [(attribution: EntryAttribution, bay: String, session: String)] {
        struct Bill: Decodable {
            var number: String; var bay_code: String; var session_id: String; var zone_id: String; var due_ms: Int64; var segment: String; var time_zone: String?
        }
        struct Channel: Decodable { var id: String; var channel: String; var scene: String? }
        let numbers = Array(Set(entries.map(\.bill))).sorted()
        let bills = Dictionary(uniqueKeysWithValues: try await sql.raw("""
            SELECT b.number, b.bay_code, b.session_id, b.zone_id, b.due_ms, COALESCE(y.segment_id, '') AS segment, z.time_zone
            FROM bills b LEFT JOIN bays y ON y.code = b.bay_code LEFT JOIN zones z ON z.id = b.zone_id
            WHERE b.number IN (\(numbers.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")))
            """).all(decoding: Bill.self).map { ($0.number, $0) })
        // The ledger ends with the new entries, in order: a refund's payment is the last received before it.
        let offset = ledger.entries.suffix(entries.count).elementsEqual(entries) ? ledger.entries.count - entries.count : ledger.entries.count
        func payment(_ index: Int) -> String? {
            let entry = entries[index]
            switch entry.kind {
            case .received: return entry.reference
            case .refund: return Bills.refundedPayment(ledger.entries[..<min(offset + index, ledger.entries.count)].filter { $0.bill == entry.bill })
            default: return nil
            }
        }
        let references = entries.indices.map(payment)
        let payments = Array(Set(references.compactMap { $0 })).sorted()
        let channels = payments.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await sql.raw("""
            SELECT id, channel, scene FROM payments WHERE id IN (\(payments.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")))
            """).all(decoding: Channel.self).map { ($0.id, $0) })
        return entries.indices.compactMap { index in
            let entry = entries[index]
            guard let bill = bills[entry.bill] else { return nil }
            let paid = references[index].flatMap { channels[$0] }
            let attribution = EntryAttribution(
                entry: entry, zone: bill.zone_id, segment: bill.segment, timeZone: bill.time_zone ?? "", due: bill.due_ms, channel: paid?.channel,
                scene: paid?.scene
            )
            return (attribution, bill.bay_code, bill.session_id)
        }
    }

    /// The city platform's fee records of new entries: each with its bill's bay and session,
    /// and money received or refunded with its payment type.
    static func feeRecords(_ attributed: [(attribution: EntryAttribution, bay: String, session: String)]) -> [FeedRecord] {
        attributed.map { attribution, bay, session in
            let entry = attribution.entry
            var fee = FeedFee(
                bill: entry.bill, session: session, kind: entry.kind, amountFen: entry.amountFen,
                paymentType: attribution.channel.flatMap(PaymentChannel.init(rawValue:))
            )
            fee.nonStop = attribution.channel.map { _ in attribution.scene == AutoPay.scene }
            return FeedRecord(kind: .fee, bay: bay, at: entry.at, fee: fee)
        }
    }

    /// Writes new entries and brings each touched bill's outstanding amount and status up to date.
    func write(_ entries: [LedgerEntry], ledger: Ledger) async throws {
        guard !entries.isEmpty else { return }
        let values = entries.map {
            "(\(bind: $0.bill), \(bind: $0.kind.rawValue), \(bind: Int64($0.amountFen)), \(bind: $0.at), \(bind: $0.reference))" as SQLQueryString
        }.joined(separator: ", ")
        try await sql.raw("INSERT INTO ledger_entries (bill_number, kind, amount_fen, at_ms, reference) VALUES \(values)").run()
        let attributed = try await attributions(entries, ledger: ledger)
        try await FeedOutbox.add(Self.feeRecords(attributed), on: sql)
        try await ReportRollups.add(attributed.map(\.attribution), on: sql)
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
