import CurbsideCore
import FluentKit
import SQLKit

/// Imported channel statements and what matching them found.
public struct Reconciliations: Sendable {
    public struct Record: Sendable {
        public var id: Int
        public var channel: PaymentChannel
        /// The statement's local day, YYYY-MM-DD.
        public var day: String
        public var importedAt: Int64
        public var actor: String
        public var result: Reconciliation
    }

    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    /// Matches a statement against the payments confirmed through its channel
    /// during the day [from, until), and keeps the result; a statement the job
    /// fetched is marked reconciled with it, in the same transaction.
    public func reconcile(
        channel: PaymentChannel, day: String, from: Int64, until: Int64, statement: [Reconciliation.Line], by principal: Principal, now: Int64,
        run: StatementRuns.Due? = nil
    ) async throws -> Record {
        let ours = try await Payments(store: store, database: database).received(channel: channel, from: from, until: until)
        let result = Reconciliation(ours: ours, theirs: statement)
        let id = try await store.write(on: database) { db -> Int in
            let sql = db.sql
            struct Row: Decodable { var id: Int }
            let row = try await sql.raw("""
                INSERT INTO reconciliations (channel, day, imported_ms, actor, matched, our_total_fen, their_total_fen, differences)
                VALUES (\(bind: channel.rawValue), \(bind: day), \(bind: now), \(bind: principal.description), \(bind: Int32(result.matched)),
                        \(bind: result.ourTotalFen), \(bind: result.theirTotalFen), \(bind: try JSONText.encode(result.differences.map(DifferenceRecord.init))))
                RETURNING id
                """).first(decoding: Row.self)
            try await AuditLog.record("reconcile", subject: "\(channel.rawValue)/\(day)", by: principal, detail: [
                "matched": String(result.matched), "differences": String(result.differences.count),
            ], at: now, on: sql)
            let id = row?.id ?? 0
            if let run { try await StatementRuns.reconciled(run, reconciliation: id, now: now, on: sql) }
            return id
        }
        return Record(id: id, channel: channel, day: day, importedAt: now, actor: principal.description, result: result)
    }
}

extension Reconciliations {
    /// Reconciliations newest first, before id `before`; `differing` keeps those that found differences.
    public func list(channel: PaymentChannel?, day: String?, differing: Bool, before: Int?, limit: Int) async throws -> [Record] {
        struct Row: Decodable {
            var id: Int; var channel: String; var day: String; var imported_ms: Int64; var actor: String; var matched: Int
            var our_total_fen: Int; var their_total_fen: Int; var differences: String
        }
        var conditions: [SQLQueryString] = ["1 = 1"]
        if let channel { conditions.append("channel = \(bind: channel.rawValue)") }
        if let day { conditions.append("day = \(bind: day)") }
        if differing { conditions.append("differences <> '[]'") }
        if let before { conditions.append("id < \(bind: before)") }
        let rows = try await database.sql.raw("""
            SELECT id, channel, day, imported_ms, actor, matched, our_total_fen, their_total_fen, differences FROM reconciliations
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY id DESC LIMIT \(bind: limit)
            """).all(decoding: Row.self)
        return try rows.compactMap { row -> Record? in
            guard let channel = PaymentChannel(rawValue: row.channel) else { return nil }
            let differences = try JSONText.decode([DifferenceRecord].self, row.differences).compactMap(\.difference)
            return Record(
                id: row.id, channel: channel, day: row.day, importedAt: row.imported_ms, actor: row.actor,
                result: Reconciliation(matched: row.matched, ourTotalFen: row.our_total_fen, theirTotalFen: row.their_total_fen, differences: differences)
            )
        }
    }
}

/// A difference as kept in the reconciliations table.
struct DifferenceRecord: Codable {
    var kind: String
    var payment_id: String
    var our_fen: Int?
    var their_fen: Int?
    var transaction_id: String

    init(_ difference: Reconciliation.Difference) {
        switch difference {
        case let .missingOnOurSide(line):
            self.init(kind: "missing_on_our_side", payment_id: line.paymentID, our_fen: nil, their_fen: line.amountFen, transaction_id: line.transactionID)
        case let .missingOnTheirs(line):
            self.init(kind: "missing_on_theirs", payment_id: line.paymentID, our_fen: line.amountFen, their_fen: nil, transaction_id: line.transactionID)
        case let .amountMismatch(ours, theirs):
            self.init(kind: "amount_mismatch", payment_id: ours.paymentID, our_fen: ours.amountFen, their_fen: theirs.amountFen, transaction_id: theirs.transactionID)
        }
    }

    /// The difference this record keeps; nil for a record no kind of difference reads.
    var difference: Reconciliation.Difference? {
        switch (kind, our_fen, their_fen) {
        case let ("missing_on_our_side", _, theirs?):
            .missingOnOurSide(.init(paymentID: payment_id, transactionID: transaction_id, amountFen: theirs))
        case let ("missing_on_theirs", ours?, _):
            .missingOnTheirs(.init(paymentID: payment_id, transactionID: transaction_id, amountFen: ours))
        case let ("amount_mismatch", ours?, theirs?):
            // Our side's transaction id is not kept: the channel's is the one that names the payment to them.
            .amountMismatch(
                ours: .init(paymentID: payment_id, transactionID: transaction_id, amountFen: ours),
                theirs: .init(paymentID: payment_id, transactionID: transaction_id, amountFen: theirs)
            )
        default: nil
        }
    }

    init(kind: String, payment_id: String, our_fen: Int?, their_fen: Int?, transaction_id: String) {
        self.kind = kind
        self.payment_id = payment_id
        self.our_fen = our_fen
        self.their_fen = their_fen
        self.transaction_id = transaction_id
    }
}
