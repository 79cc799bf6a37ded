import Crypto
import CurbsideCore
import FluentKit
import Foundation
import SQLKit

/// Citizen accounts: sign-in by a code sent to the phone, and the plates the
/// citizen has shown to be theirs. Only a bound plate's bills are shown in
/// full; anyone may look a plate up, masked, and pay.
public struct Citizens: Sendable {
    /// One code per phone per this long (ms).
    public static let resendAfter: Int64 = Milliseconds.minute
    /// A code is good for this long (ms), and for this many wrong tries.
    public static let codeLifetime: Int64 = 5 * Milliseconds.minute
    public static let maxAttempts = 5
    /// Plates one account may hold.
    public static let maxPlates = 5

    public struct BoundPlate: Sendable, Equatable, Codable {
        public var plate: String
        public var colour: PlateColour
        public var boundAt: Int64
    }

    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    /// How many codes may go out: per phone, and to all phones together, per hour.
    public struct CodeLimits: Sendable {
        public var perPhone: Int
        public var window: Int64
        public var perHour: Int

        public init(perPhone: Int, window: Int64, perHour: Int) {
            self.perPhone = perPhone
            self.window = window
            self.perHour = perHour
        }
    }

    /// A new six-digit code for `phone`, stored only as a digest; the caller sends it.
    /// Counted per phone and across all phones in the database, so every server shares the limits.
    public func newCode(phone: String, address: String, limits: CodeLimits, now: Int64) async throws -> String {
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000))
        try await store.write(on: database) { db in
            let sql = db.sql
            struct Row: Decodable { var sent_ms: Int64 }
            if let last = try await sql.raw("SELECT sent_ms FROM sign_in_codes WHERE phone = \(bind: phone)").first(decoding: Row.self) {
                let wait = last.sent_ms + Self.resendAfter - now
                guard wait <= 0 else { throw BillingError.codeTooSoon(retryAfterSeconds: Int((wait + 999) / 1000)) }
            }
            try await sql.raw("DELETE FROM sign_in_code_log WHERE sent_ms < \(bind: now - Milliseconds.day)").run()
            let phoneSent = try await sql.raw("""
                SELECT sent_ms FROM sign_in_code_log WHERE phone = \(bind: phone) AND sent_ms > \(bind: now - limits.window) ORDER BY sent_ms
                """).all(decoding: Row.self)
            if phoneSent.count >= limits.perPhone {
                throw BillingError.tooManyCodes(phone: true, retryAfterSeconds: Int((phoneSent[phoneSent.count - limits.perPhone].sent_ms + limits.window - now + 999) / 1000))
            }
            struct Count: Decodable { var count: Int }
            let hour = try await sql.raw("SELECT COUNT(*) AS count FROM sign_in_code_log WHERE sent_ms > \(bind: now - Milliseconds.hour)").first(decoding: Count.self)?.count ?? 0
            if hour >= limits.perHour { throw BillingError.tooManyCodes(phone: false, retryAfterSeconds: 60) }
            try await sql.raw("DELETE FROM sign_in_codes WHERE phone = \(bind: phone)").run()
            try await sql.raw("""
                INSERT INTO sign_in_codes (phone, code_hash, sent_ms, expires_ms, attempts)
                VALUES (\(bind: phone), \(bind: Self.digest(phone: phone, code: code)), \(bind: now), \(bind: now + Self.codeLifetime), 0)
                """).run()
            try await sql.raw("INSERT INTO sign_in_code_log (phone, address, sent_ms) VALUES (\(bind: phone), \(bind: address), \(bind: now))").run()
        }
        return code
    }

    /// Checks the code and returns the phone's account id, opening the account on first sign-in.
    public func signIn(phone: String, code: String, now: Int64) async throws -> String {
        let outcome: Result<String, BillingError> = try await store.write(on: database) { db in
            let sql = db.sql
            struct Row: Decodable { var code_hash: String; var expires_ms: Int64; var attempts: Int }
            guard let stored = try await sql.raw("SELECT code_hash, expires_ms, attempts FROM sign_in_codes WHERE phone = \(bind: phone)").first(decoding: Row.self),
                  stored.expires_ms > now, stored.attempts < Self.maxAttempts
            else { return .failure(.codeInvalid) }
            guard stored.code_hash == Self.digest(phone: phone, code: code) else {
                // A wrong try counts, and is kept: the failure is returned, not thrown, so the count is committed.
                try await sql.raw("UPDATE sign_in_codes SET attempts = attempts + 1 WHERE phone = \(bind: phone)").run()
                return .failure(.codeInvalid)
            }
            try await sql.raw("DELETE FROM sign_in_codes WHERE phone = \(bind: phone)").run()
            struct Account: Decodable { var id: String }
            if let account = try await sql.raw("SELECT id FROM citizens WHERE phone = \(bind: phone)").first(decoding: Account.self) {
                return .success(account.id)
            }
            let id = RandomID.make("C", length: 15)
            try await sql.raw("INSERT INTO citizens (id, phone, created_ms) VALUES (\(bind: id), \(bind: phone), \(bind: now))").run()
            return .success(id)
        }
        return try outcome.get()
    }

    /// Binds a plate to the account. The proof is the token of a notice sent
    /// about that plate and colour (the part of its payment link after /p/):
    /// only whoever received the notice, by text message or on the windscreen,
    /// has it. Nothing the public can look up (bill numbers, masked answers)
    /// will do.
    public func bind(citizen: String, plate: String, colour: PlateColour, noticeToken: String, now: Int64) async throws -> BoundPlate {
        try await store.write(on: database) { db in
            let sql = db.sql
            struct Bill: Decodable { var plate: String; var plate_colour: String }
            guard !noticeToken.isEmpty,
                  let bill = try await sql.raw("SELECT plate, plate_colour FROM bills WHERE pay_token = \(bind: noticeToken)").first(decoding: Bill.self),
                  bill.plate == plate, bill.plate_colour == colour.rawValue
            else { throw BillingError.proofMismatch }
            let bound = try await Self.plates(citizen, on: sql)
            if let existing = bound.first(where: { $0.plate == plate && $0.colour == colour }) { return existing }
            guard bound.count < Self.maxPlates else { throw BillingError.tooManyPlates(limit: Self.maxPlates) }
            try await sql.raw("""
                INSERT INTO citizen_plates (citizen_id, plate, plate_colour, bound_ms) VALUES (\(bind: citizen), \(bind: plate), \(bind: colour.rawValue), \(bind: now))
                """).run()
            return BoundPlate(plate: plate, colour: colour, boundAt: now)
        }
    }

    /// Removes a plate from the account; true if it was bound.
    public func unbind(citizen: String, plate: String, colour: PlateColour) async throws -> Bool {
        try await store.write(on: database) { db in
            let sql = db.sql
            let had = try await Self.plates(citizen, on: sql).contains { $0.plate == plate && $0.colour == colour }
            try await sql.raw("""
                DELETE FROM citizen_plates WHERE citizen_id = \(bind: citizen) AND plate = \(bind: plate) AND plate_colour = \(bind: colour.rawValue)
                """).run()
            return had
        }
    }

    public func plates(_ citizen: String) async throws -> [BoundPlate] {
        try await Self.plates(citizen, on: database.sql)
    }

    public func isBound(citizen: String, plate: String, colour: PlateColour) async throws -> Bool {
        try await plates(citizen).contains { $0.plate == plate && $0.colour == colour }
    }

    static func plates(_ citizen: String, on sql: any SQLDatabase) async throws -> [BoundPlate] {
        struct Row: Decodable { var plate: String; var plate_colour: String; var bound_ms: Int64 }
        return try await sql.raw("""
            SELECT plate, plate_colour, bound_ms FROM citizen_plates WHERE citizen_id = \(bind: citizen) ORDER BY bound_ms, plate
            """).all(decoding: Row.self).map { BoundPlate(plate: $0.plate, colour: PlateColour(rawValue: $0.plate_colour) ?? .unknown, boundAt: $0.bound_ms) }
    }

    static func digest(phone: String, code: String) -> String {
        SHA256.hash(data: Data("\(phone):\(code)".utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
