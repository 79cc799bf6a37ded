import CurbsideCore
import FluentKit
import SQLKit

/// A citizen's dispute of a bill, and what the back office decided.
public struct Appeal: Sendable, Equatable {
    public enum Reason: String, Sendable, CaseIterable {
        case wrongPlate = "wrong_plate"
        case notMyCar = "not_my_car"
        case sensorFault = "sensor_fault"
        case other
    }

    public enum Status: String, Sendable, CaseIterable {
        case inProgress = "in_progress"
        case rejected
        case upheld
    }

    public var id: String
    public var bill: String
    public var citizenID: String
    public var reason: Reason
    public var text: String
    public var status: Status
    public var filedAt: Int64
    public var decidedAt: Int64?
    public var decidedBy: String?
    public var note: String?
    /// What an upheld appeal set the bill to (0: void).
    public var correctedFen: Int?
}

/// Appeals: filed by the citizen whose plate the bill is, decided by staff.
/// While one is in progress the bill stays where it is on the arrears ladder.
/// Upheld, the bill is corrected (or voided) with a correction record, and
/// what was paid beyond the new amount is refunded.
public struct Appeals: Sendable {
    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    public func file(bill number: String, citizen: String, reason: Appeal.Reason, text: String, now: Int64) async throws -> Appeal {
        try await store.write(on: database) { db in
            let sql = db.sql
            struct Bill: Decodable { var plate: String; var plate_colour: String }
            guard let bill = try await sql.raw("SELECT plate, plate_colour FROM bills WHERE number = \(bind: number)").first(decoding: Bill.self) else {
                throw BillingError.billNotFound(number)
            }
            let bound = try await Citizens.plates(citizen, on: sql).contains { $0.plate == bill.plate && $0.colour.rawValue == bill.plate_colour }
            guard bound else { throw BillingError.notYourBill(number) }
            if let open = try await Self.select("bill_number = \(bind: number) AND status = 'in_progress'", on: sql).first {
                throw BillingError.appealOpen(open.id)
            }
            let appeal = Appeal(id: RandomID.make("AP", length: 12), bill: number, citizenID: citizen, reason: reason, text: text, status: .inProgress, filedAt: now)
            try await sql.raw("""
                INSERT INTO appeals (id, bill_number, citizen_id, reason, text, status, filed_ms)
                VALUES (\(bind: appeal.id), \(bind: number), \(bind: citizen), \(bind: reason.rawValue), \(bind: text), 'in_progress', \(bind: now))
                """).run()
            return appeal
        }
    }

    /// Decides an appeal: rejected changes nothing else; upheld corrects the bill to
    /// `correctedFen` (nil or 0 voids it) and refunds what was paid beyond it.
    public func decide(_ id: String, upheld: Bool, correctedFen: Int?, note: String, by principal: Principal, now: Int64) async throws -> Appeal {
        try await store.write(on: database) { db in
            let sql = db.sql
            guard var appeal = try await Self.select("id = \(bind: id)", on: sql).first else { throw BillingError.appealNotFound(id) }
            guard appeal.status == .inProgress else { throw BillingError.appealDecided(id) }
            appeal.status = upheld ? .upheld : .rejected
            appeal.decidedAt = now
            appeal.decidedBy = principal.description
            appeal.note = note
            if upheld {
                let target = correctedFen ?? 0
                let book = BillLedger(sql: sql, kind: store.kind)
                var ledger = try await book.load([appeal.bill])
                let before = ledger.balance(appeal.bill).map { $0.charged - $0.reduced } ?? 0
                do {
                    if case let .applied(entries) = try ledger.correct("appeal:\(id)", bill: appeal.bill, to: target, at: now) {
                        try await book.write(entries, ledger: ledger)
                        if let refund = entries.first(where: { $0.kind == .refund }) {
                            try await Refunds.record(refund, of: ledger, waive: true, reason: "appeal \(id) upheld: \(note)", by: principal, on: sql)
                        }
                    }
                } catch let refusal as Ledger.Refusal {
                    throw BillingError.ledger(refusal)
                }
                appeal.correctedFen = target
                if target == 0 { try await sql.raw("UPDATE bills SET status = 'void' WHERE number = \(bind: appeal.bill)").run() }
                try await sql.raw("""
                    INSERT INTO bill_corrections (bill_number, appeal_id, before_fen, after_fen, reason, actor, at_ms)
                    VALUES (\(bind: appeal.bill), \(bind: id), \(bind: Int64(before)), \(bind: Int64(target)), \(bind: note), \(bind: principal.description), \(bind: now))
                    """).run()
            }
            try await sql.raw("""
                UPDATE appeals SET status = \(bind: appeal.status.rawValue), decided_ms = \(bind: now), decided_by = \(bind: principal.description),
                    decision_note = \(bind: note), corrected_fen = \(bind: appeal.correctedFen.map(Int64.init))
                WHERE id = \(bind: id)
                """).run()
            try await AuditLog.record("decide_appeal", subject: appeal.bill, by: principal, detail: [
                "appeal": id, "decision": appeal.status.rawValue, "corrected_fen": appeal.correctedFen.map(String.init) ?? "", "note": note,
            ], at: now, on: sql)
            return appeal
        }
    }

    public func appeals(citizen: String? = nil, status: Appeal.Status? = nil, limit: Int = 200) async throws -> [Appeal] {
        var conditions: [SQLQueryString] = ["1 = 1"]
        if let citizen { conditions.append("citizen_id = \(bind: citizen)") }
        if let status { conditions.append("status = \(bind: status.rawValue)") }
        return Array(try await Self.select(conditions.joined(separator: " AND "), on: database.sql).prefix(limit))
    }

    static func select(_ condition: SQLQueryString, on sql: any SQLDatabase) async throws -> [Appeal] {
        struct Row: Decodable {
            var id: String; var bill_number: String; var citizen_id: String; var reason: String; var text: String; var status: String; var filed_ms: Int64
            var decided_ms: Int64?; var decided_by: String?; var decision_note: String?; var corrected_fen: Int?
        }
        return try await sql.raw("""
            SELECT id, bill_number, citizen_id, reason, text, status, filed_ms, decided_ms, decided_by, decision_note, corrected_fen
            FROM appeals WHERE \(condition) ORDER BY filed_ms, id
            """).all(decoding: Row.self).map {
            Appeal(
                id: $0.id, bill: $0.bill_number, citizenID: $0.citizen_id, reason: Appeal.Reason(rawValue: $0.reason) ?? .other, text: $0.text,
                status: Appeal.Status(rawValue: $0.status) ?? .inProgress, filedAt: $0.filed_ms, decidedAt: $0.decided_ms, decidedBy: $0.decided_by,
                note: $0.decision_note, correctedFen: $0.corrected_fen
            )
        }
    }
}
