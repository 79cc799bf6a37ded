import CurbsideCore
import FluentKit
import SQLKit

/// Moves unpaid bills along the arrears ladder: records each step reached,
/// sends the notice the newest step calls for, and refers bills to the
/// plate's enforcement case. A bill under appeal waits where it is. A step is recorded once (its row is the key),
/// so rounds that run late, repeat, or overlap on several servers send each
/// notice once and refer each bill once.
public struct ArrearsRun: Sendable {
    public struct Round: Sendable, Equatable {
        public var examined = 0
        /// Steps recorded, by name.
        public var steps: [String: Int] = [:]
        public var notices = 0
        public var referred = 0

        public init() {}
    }

    public let store: Store
    public let database: any Database
    public let ladder: ArrearsLadder
    /// The city's time zone, for dates in notices.
    public let clock: ZoneClock
    public let link: @Sendable (String) -> String

    public init(store: Store, database: any Database, ladder: ArrearsLadder, clock: ZoneClock, link: @escaping @Sendable (String) -> String) {
        self.store = store
        self.database = database
        self.ladder = ladder
        self.clock = clock
        self.link = link
    }

    struct Row: Decodable {
        var number: String
        var plate: String
        var plate_colour: String
        var start_ms: Int64
        var issued_ms: Int64
        var due_ms: Int64
        var outstanding_fen: Int
        var pay_token: String
    }

    public func runOnce(now: Int64, limit: Int = 500) async throws -> Round {
        try await store.write(on: database) { db in
            let sql = db.sql
            // Bills never stepped first, then those whose next step is due earliest: two ranges of the unpaid bills' index
            // (migration 0039), each read in its order. One condition with an OR over both was not taken as a range.
            let fresh = try await due("next_step_ms IS NULL", limit: limit, on: sql)
            let bills = fresh.count < limit ? fresh + (try await due("next_step_ms <= \(bind: now)", limit: limit - fresh.count, on: sql)) : fresh
            var round = Round()
            round.examined = bills.count
            guard !bills.isEmpty else { return round }
            let list = bills.map { "\(bind: $0.number)" as SQLQueryString }.joined(separator: ", ")
            struct Recorded: Decodable { var bill_number: String; var step: String }
            let recorded = Set(try await sql.raw("SELECT bill_number, step FROM bill_steps WHERE bill_number IN (\(list))")
                .all(decoding: Recorded.self).map { "\($0.bill_number) \($0.step)" })
            for bill in bills {
                let (steps, next) = ladder.due(issuedAt: bill.issued_ms, dueAt: bill.due_ms, now: now)
                let new = steps.filter { !recorded.contains("\(bill.number) \($0)") }
                for step in new {
                    try await sql.raw("INSERT INTO bill_steps (bill_number, step, at_ms) VALUES (\(bind: bill.number), \(bind: step.description), \(bind: now))").run()
                    round.steps[step.description, default: 0] += 1
                }
                // After a pause only the newest notice goes out: one message, not a backlog. Referral says so itself.
                let notice: NoticeKind? = new.contains(.stage(.referred)) ? .referral : new.last(where: \.notifies).map(kind)
                if let notice {
                    try await NoticeOutbox.enqueue(
                        notice, bill: bill.number, plate: bill.plate, colour: bill.plate_colour, parameters: { _ in parameters(bill, notice) }, link: link(bill.pay_token),
                        at: now, on: sql
                    )
                    round.notices += 1
                }
                if new.contains(.stage(.referred)) {
                    try await EnforcementCases.refer(bill.number, plate: bill.plate, colour: bill.plate_colour, at: now, on: sql)
                    round.referred += 1
                }
                let stage = ladder.stage(issuedAt: bill.issued_ms, dueAt: bill.due_ms, now: now)
                try await sql.raw("""
                    UPDATE bills SET arrears_stage = \(bind: stage.rawValue), next_step_ms = \(bind: next ?? .max) WHERE number = \(bind: bill.number)
                    """).run()
            }
            return round
        }
    }

    /// Unpaid bills not under appeal whose next step `condition` picks, in the index's order, locked for this round on PostgreSQL.
    func due(_ condition: SQLQueryString, limit: Int, on sql: any SQLDatabase) async throws -> [Row] {
        try await sql.raw(Self.query(condition, limit: limit, locking: store.kind == .postgres)).all(decoding: Row.self)
    }

    static func query(_ condition: SQLQueryString, limit: Int, locking: Bool) -> SQLQueryString {
        let skip: SQLQueryString = locking ? "FOR UPDATE SKIP LOCKED" : ""
        return """
            SELECT number, plate, plate_colour, start_ms, issued_ms, due_ms, outstanding_fen, pay_token FROM bills
            WHERE status = 'unpaid' AND \(condition)
              AND NOT EXISTS (SELECT 1 FROM appeals a WHERE a.bill_number = bills.number AND a.status = 'in_progress')
            ORDER BY next_step_ms NULLS FIRST, number LIMIT \(bind: limit) \(skip)
            """
    }

    func kind(_ step: ArrearsLadder.Step) -> NoticeKind {
        switch step {
        case .reminder: .reminder
        case .stage(.makeUp): .makeUp
        default: .finalNotice
        }
    }

    /// What fills the texts of the ladder's notices; `until` is the end of the make-up period for a make-up
    /// notice and the day the bill is referred for a final notice.
    func parameters(_ bill: Row, _ kind: NoticeKind) -> [String: String] {
        func date(_ ms: Int64) -> String { String(LocalDateTime.format(ms / 1000, in: clock).prefix(10)) }
        let makeUpEnds = bill.due_ms + Int64(ladder.makeUpDays) * Milliseconds.day
        let overdueAt = makeUpEnds + Int64(ladder.finalNoticeDays) * Milliseconds.day
        return [
            "plate": bill.plate, "date": date(bill.start_ms), "amount": Money.yuan(bill.outstanding_fen), "bill": bill.number, "due": date(bill.due_ms),
            "until": date(kind == .makeUp ? makeUpEnds : overdueAt),
        ]
    }
}
