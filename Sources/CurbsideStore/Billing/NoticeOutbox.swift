import CurbsideCore
import FluentKit
import SQLKit

/// A notice to pay, as written to the outbox when its bill is issued.
public struct Notice: Sendable, Equatable {
    public var id: Int
    public var bill: String
    /// `sms:<phone>` for each citizen with the plate bound, else `plate:<plate>/<colour>`
    /// for the city's vehicle-owner messaging.
    public var recipient: String
    public var text: String
    /// The short payment link; its QR code goes with it.
    public var link: String
    public var attempts: Int
    public var sentAt: Int64?
    public var lastError: String?
}

/// The durable outbox of notices: written in the transaction that issues the
/// bill, so a bill never goes without its notice, and sent by a background
/// dispatcher that retries with back-off until the notifier takes it.
public struct NoticeOutbox: Sendable {
    /// A claimed notice is someone's to send for this long; after it, another dispatcher may try.
    public static let lease: Int64 = Milliseconds.minute

    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    static func enqueue(for bill: Bill, zoneName: String, link: String, clock: ZoneClock, at now: Int64, on sql: any SQLDatabase) async throws {
        try await enqueue(bill: bill.number, plate: bill.plate, colour: bill.plateColour.rawValue, text: Self.text(bill, zoneName: zoneName, link: link, clock: clock),
                          link: link, at: now, on: sql)
    }

    /// Writes a notice about a bill to every citizen who bound its plate, or to the plate.
    static func enqueue(bill: String, plate: String, colour: String, text: String, link: String, at now: Int64, on sql: any SQLDatabase) async throws {
        struct Row: Decodable { var phone: String }
        let phones = try await sql.raw("""
            SELECT c.phone FROM citizen_plates p JOIN citizens c ON c.id = p.citizen_id
            WHERE p.plate = \(bind: plate) AND p.plate_colour = \(bind: colour) ORDER BY c.phone
            """).all(decoding: Row.self).map { "sms:" + $0.phone }
        for recipient in phones.isEmpty ? ["plate:\(plate)/\(colour)"] : phones {
            try await sql.raw("""
                INSERT INTO notices (bill_number, recipient, text, link, created_ms, next_ms, attempts)
                VALUES (\(bind: bill), \(bind: recipient), \(bind: text), \(bind: link), \(bind: now), \(bind: now), 0)
                """).run()
        }
    }

    /// The notice in words, as an SMS carries it.
    public static func text(_ bill: Bill, zoneName: String, link: String, clock: ZoneClock) -> String {
        func local(_ ms: Int64) -> String {
            let text = LocalDateTime.format(ms / 1000, in: clock)
            return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
        }
        let due = String(LocalDateTime.format(bill.dueAt / 1000, in: clock).prefix(10))
        return "【路侧停车】\(bill.plate) 于 \(local(bill.start)) 至 \(local(bill.end)) 在\(zoneName)泊位 \(bill.bay) 停车，"
            + "应缴 \(Money.yuan(bill.amountDueFen)) 元（账单 \(bill.number)），请于 \(due) 前缴纳：\(link)"
    }

    /// Takes up to `limit` notices due for sending, leasing them to the caller.
    public func claim(limit: Int, now: Int64) async throws -> [Notice] {
        try await store.write(on: database) { db in
            let sql = db.sql
            let skip: SQLQueryString = store.kind == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
            let notices = try await sql.raw("""
                SELECT id, bill_number, recipient, text, link, attempts, sent_ms, last_error FROM notices
                WHERE sent_ms IS NULL AND next_ms <= \(bind: now) ORDER BY next_ms, id LIMIT \(bind: limit) \(skip)
                """).all(decoding: NoticeColumns.self).map(\.notice)
            guard !notices.isEmpty else { return [] }
            let ids = notices.map { "\(bind: Int64($0.id))" as SQLQueryString }.joined(separator: ", ")
            try await sql.raw("UPDATE notices SET next_ms = \(bind: now + Self.lease) WHERE id IN (\(ids))").run()
            return notices
        }
    }

    public func sent(_ id: Int, now: Int64) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("UPDATE notices SET sent_ms = \(bind: now), attempts = attempts + 1, last_error = NULL WHERE id = \(bind: Int64(id))").run()
        }
    }

    /// Records a failed attempt; the next waits twice as long as the last, from 30 s up to an hour.
    public func failed(_ notice: Notice, error: String, now: Int64) async throws {
        let wait = min(Int64(30_000) << Int64(min(notice.attempts, 7)), Milliseconds.hour)
        try await store.write(on: database) { db in
            try await db.sql.raw("""
                UPDATE notices SET attempts = attempts + 1, next_ms = \(bind: now + wait), last_error = \(bind: error) WHERE id = \(bind: Int64(notice.id))
                """).run()
        }
    }

    /// How many notices each of `recipients` has been sent since `since`.
    public func sentCounts(recipients: Set<String>, since: Int64) async throws -> [String: Int] {
        guard !recipients.isEmpty else { return [:] }
        struct Row: Decodable { var recipient: String; var count: Int }
        return try await database.sql.raw("""
            SELECT recipient, COUNT(*) AS count FROM notices
            WHERE recipient IN (\(binds: recipients.sorted())) AND sent_ms >= \(bind: since) GROUP BY recipient
            """).all(decoding: Row.self).reduce(into: [:]) { $0[$1.recipient] = $1.count }
    }

    /// Claimed notices not sent now, due again at `until`.
    public func postpone(_ ids: [Int], until: Int64) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("UPDATE notices SET next_ms = \(bind: until) WHERE id IN (\(binds: ids.map { Int64($0) }))").run()
        }
    }

    /// A bill's notices, oldest first.
    public func notices(bill: String) async throws -> [Notice] {
        try await database.sql.raw("""
            SELECT id, bill_number, recipient, text, link, attempts, sent_ms, last_error FROM notices WHERE bill_number = \(bind: bill) ORDER BY id
            """).all(decoding: NoticeColumns.self).map(\.notice)
    }

    /// Notices not yet sent.
    public func pending() async throws -> Int {
        struct Row: Decodable { var count: Int }
        return try await database.sql.raw("SELECT COUNT(*) AS count FROM notices WHERE sent_ms IS NULL").first(decoding: Row.self)?.count ?? 0
    }
}

struct NoticeColumns: Decodable {
    var id: Int
    var bill_number: String
    var recipient: String
    var text: String
    var link: String
    var attempts: Int
    var sent_ms: Int64?
    var last_error: String?

    var notice: Notice {
        Notice(id: id, bill: bill_number, recipient: recipient, text: text, link: link, attempts: attempts, sentAt: sent_ms, lastError: last_error)
    }
}
