import CurbsideCore
import FluentKit
import Foundation
import SQLKit

/// A message to a citizen about a bill, as the outbox keeps it: what it is
/// about and what fills its text; once sent, the text as sent, the channel it
/// went by and what became of it.
public struct Notice: Sendable, Equatable {
    public var id: Int
    public var bill: String
    /// `sms:<phone>` for each citizen with the plate bound, else `plate:<plate>/<colour>`
    /// for the city's vehicle-owner messaging.
    public var recipient: String
    /// Nil for notices written before notices had kinds: their text was written with them.
    public var kind: NoticeKind?
    public var parameters: [String: String]
    /// The recipient's language; nil for Chinese.
    public var language: String?
    /// The text as sent; empty until then, for notices with a kind.
    public var text: String
    /// The short payment link; its QR code goes with it.
    public var link: String
    public var attempts: Int
    /// When it was finished with: handed to its channel, refused for good, or passed over for an opt-out.
    public var sentAt: Int64?
    public var lastError: String?
    /// The channel it was handed to (`aliyun`, `tencent`, `log`, `directory`) and that channel's id for it.
    public var channel: String?
    public var providerReference: String?
    public var delivery: NoticeDeliveryState?
    /// The provider's code for the delivery or the refusal (DELIVERED, DELIVRD, MK:0001, isv.MOBILE_NUMBER_ILLEGAL).
    public var deliveryCode: String?
    public var reportedAt: Int64?
}

/// What became of a notice once it left the outbox.
public enum NoticeDeliveryState: String, Sendable, Codable {
    /// Handed to its channel; for SMS, waiting for the delivery report.
    case sent
    /// The delivery report says the phone received it.
    case delivered
    /// The delivery report says it did not arrive (switched off for days, number gone, blocked).
    case undelivered
    /// The provider refused it for good (a bad number, no approved template); not tried again.
    case refused
    /// The citizen turned SMS notices off before it went.
    case optedOut = "opted_out"
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
        func local(_ ms: Int64) -> String {
            let text = LocalDateTime.format(ms / 1000, in: clock)
            return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
        }
        try await enqueue(.billIssued, bill: bill.number, plate: bill.plate, colour: bill.plateColour.rawValue, parameters: { _ in [
            "plate": bill.plate, "start": local(bill.start), "end": local(bill.end), "zone": zoneName, "bay": bill.bay,
            "amount": Money.yuan(bill.amountDueFen), "bill": bill.number, "due": String(LocalDateTime.format(bill.dueAt / 1000, in: clock).prefix(10)),
        ] }, link: link, at: now, on: sql)
    }

    /// Tells the bill's payer that a refund is back with them. Refunds of prepayments no bill came of have no one to tell.
    static func enqueue(refunded refund: Refund, link: @Sendable (String) -> String, at now: Int64, on sql: any SQLDatabase) async throws {
        struct Row: Decodable { var plate: String; var plate_colour: String; var pay_token: String; var channel: String }
        guard let bill = refund.bill, let row = try await sql.raw("""
            SELECT b.plate, b.plate_colour, b.pay_token, p.channel FROM bills b JOIN payments p ON p.id = \(bind: refund.payment) WHERE b.number = \(bind: bill)
            """).first(decoding: Row.self) else { return }
        let channel = PaymentChannel(rawValue: row.channel)
        try await enqueue(.refund, bill: bill, plate: row.plate, colour: row.plate_colour, parameters: { language in [
            "plate": row.plate, "bill": bill, "amount": Money.yuan(refund.amountFen), "channel": channel?.name(in: language) ?? row.channel,
        ] }, link: link(row.pay_token), at: now, on: sql)
    }

    /// Writes a notice about a bill to every citizen who bound its plate and has not turned SMS notices off, in
    /// their language, or else to the plate. Its text is rendered when it is sent; `link` is also the `link` parameter.
    static func enqueue(
        _ kind: NoticeKind, bill: String, plate: String, colour: String, parameters: (_ language: String?) -> [String: String], link: String, at now: Int64,
        on sql: any SQLDatabase
    ) async throws {
        struct Row: Decodable { var phone: String; var language: String? }
        let citizens = try await sql.raw("""
            SELECT c.phone, c.language FROM citizen_plates p JOIN citizens c ON c.id = p.citizen_id
            WHERE p.plate = \(bind: plate) AND p.plate_colour = \(bind: colour) AND c.sms_opt_out_ms IS NULL ORDER BY c.phone
            """).all(decoding: Row.self)
        let recipients = citizens.isEmpty ? [("plate:\(plate)/\(colour)", nil)] : citizens.map { ("sms:" + $0.phone, $0.language) }
        for (recipient, language) in recipients {
            try await enqueue(kind, bill: bill, recipient: recipient, language: language, parameters: parameters(language), link: link, at: now, on: sql)
        }
    }

    /// Writes one notice to one recipient; `link` is also the `link` parameter.
    static func enqueue(
        _ kind: NoticeKind, bill: String, recipient: String, language: String?, parameters: [String: String], link: String, at now: Int64,
        on sql: any SQLDatabase
    ) async throws {
        var filled = parameters
        filled["link"] = link
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let encoded = String(decoding: try encoder.encode(filled), as: UTF8.self)
        try await sql.raw("""
            INSERT INTO notices (bill_number, recipient, kind, parameters, language, text, link, created_ms, next_ms, attempts)
            VALUES (\(bind: bill), \(bind: recipient), \(bind: kind.rawValue), \(bind: encoded), \(bind: language), '', \(bind: link), \(bind: now), \(bind: now), 0)
            """).run()
    }

    static let columns: SQLQueryString = """
        id, bill_number, recipient, kind, parameters, language, text, link, attempts, sent_ms, last_error, channel, provider_ref, delivery,
        delivery_code, reported_ms
        """

    /// Takes up to `limit` notices due for sending, leasing them to the caller.
    public func claim(limit: Int, now: Int64) async throws -> [Notice] {
        try await store.write(on: database) { db in
            let sql = db.sql
            let skip: SQLQueryString = store.kind == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
            let notices = try await sql.raw("""
                SELECT \(Self.columns) FROM notices
                WHERE sent_ms IS NULL AND next_ms <= \(bind: now) ORDER BY next_ms, id LIMIT \(bind: limit) \(skip)
                """).all(decoding: NoticeColumns.self).map(\.notice)
            guard !notices.isEmpty else { return [] }
            let ids = notices.map { "\(bind: Int64($0.id))" as SQLQueryString }.joined(separator: ", ")
            try await sql.raw("UPDATE notices SET next_ms = \(bind: now + Self.lease) WHERE id IN (\(ids))").run()
            return notices
        }
    }

    /// Records a notice handed to `channel` with its text as sent and the channel's id for it.
    public func sent(_ id: Int, text: String, channel: String, reference: String?, now: Int64) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("""
                UPDATE notices SET sent_ms = \(bind: now), attempts = attempts + 1, last_error = NULL, text = \(bind: text), channel = \(bind: channel),
                  provider_ref = \(bind: reference), delivery = 'sent' WHERE id = \(bind: Int64(id))
                """).run()
        }
    }

    /// Finishes a notice its channel refused for good: not tried again.
    public func refused(_ id: Int, channel: String, code: String, error: String, now: Int64) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("""
                UPDATE notices SET sent_ms = \(bind: now), channel = \(bind: channel), delivery = \(bind: NoticeDeliveryState.refused.rawValue),
                  delivery_code = \(bind: code), last_error = \(bind: error), attempts = attempts + 1 WHERE id = \(bind: Int64(id))
                """).run()
        }
    }

    /// Finishes claimed notices whose citizens turned SMS notices off, in one statement.
    public func optedOut(_ ids: [Int], now: Int64) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("""
                UPDATE notices SET sent_ms = \(bind: now), delivery = \(bind: NoticeDeliveryState.optedOut.rawValue) WHERE id IN (\(binds: ids.map { Int64($0) }))
                """).run()
        }
    }

    /// A provider's delivery report about one message.
    public struct DeliveryReport: Sendable, Equatable {
        /// The provider's id for the message (BizId, SerialNo).
        public var reference: String
        /// The phone it went to, or our id for it (providers give back one or the other).
        public var phone: String?
        public var notice: Int?
        public var delivered: Bool
        public var code: String

        public init(reference: String, phone: String?, notice: Int?, delivered: Bool, code: String) {
            self.reference = reference
            self.phone = phone
            self.notice = notice
            self.delivered = delivered
            self.code = code
        }
    }

    /// Records a batch of delivery reports on the notices they name: sent through `channel`, known by the provider's id,
    /// and to the same phone or under our id. The notices are found in one query, so a batch naming nothing of ours (a
    /// forgery, reports about sign-in codes) costs one look-up; returns how many notices were updated.
    public func reported(channel: String, _ reports: [DeliveryReport], at: Int64) async throws -> Int {
        let references = Set(reports.map(\.reference)).sorted()
        guard !references.isEmpty else { return 0 }
        return try await store.write(on: database) { db in
            let sql = db.sql
            struct Row: Decodable { var id: Int; var recipient: String; var provider_ref: String }
            let sent = try await sql.raw("""
                SELECT id, recipient, provider_ref FROM notices WHERE channel = \(bind: channel) AND provider_ref IN (\(binds: references))
                """).all(decoding: Row.self)
            var updated = 0
            for report in reports {
                for notice in sent where notice.provider_ref == report.reference
                    && (notice.recipient == "sms:" + (report.phone ?? "") || notice.id == report.notice) {
                    let state: NoticeDeliveryState = report.delivered ? .delivered : .undelivered
                    try await sql.raw("""
                        UPDATE notices SET delivery = \(bind: state.rawValue), delivery_code = \(bind: report.code), reported_ms = \(bind: at)
                        WHERE id = \(bind: Int64(notice.id))
                        """).run()
                    updated += 1
                }
            }
            return updated
        }
    }

    /// Which of `phones` have turned SMS notices off.
    public func optedOut(phones: Set<String>) async throws -> Set<String> {
        guard !phones.isEmpty else { return [] }
        struct Row: Decodable { var phone: String }
        return Set(try await database.sql.raw("""
            SELECT phone FROM citizens WHERE phone IN (\(binds: phones.sorted())) AND sms_opt_out_ms IS NOT NULL
            """).all(decoding: Row.self).map(\.phone))
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
            WHERE recipient IN (\(binds: recipients.sorted())) AND sent_ms >= \(bind: since) AND channel IS NOT NULL
              AND (delivery IS NULL OR delivery <> 'refused') GROUP BY recipient
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
            SELECT \(Self.columns) FROM notices WHERE bill_number = \(bind: bill) ORDER BY id
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
    var kind: String?
    var parameters: String?
    var language: String?
    var text: String
    var link: String
    var attempts: Int
    var sent_ms: Int64?
    var last_error: String?
    var channel: String?
    var provider_ref: String?
    var delivery: String?
    var delivery_code: String?
    var reported_ms: Int64?

    var notice: Notice {
        Notice(
            id: id, bill: bill_number, recipient: recipient, kind: kind.flatMap(NoticeKind.init(rawValue:)),
            parameters: parameters.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:], language: language,
            text: text, link: link, attempts: attempts, sentAt: sent_ms, lastError: last_error, channel: channel, providerReference: provider_ref,
            delivery: delivery.flatMap(NoticeDeliveryState.init(rawValue:)), deliveryCode: delivery_code, reportedAt: reported_ms
        )
    }
}
