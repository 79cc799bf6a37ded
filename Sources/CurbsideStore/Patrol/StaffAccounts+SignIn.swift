import CurbsideCore
import FluentKit
import SQLKit

/// Password sign-in's lock-out: so many failures in a row lock the account
/// for a while, on every server at once (the count is in the database), and
/// an administrator can unlock it sooner.
extension StaffAccounts {
    public struct Lockout: Sendable {
        public var failures: Int
        /// How long an account stays locked (ms).
        public var duration: Int64

        public init(failures: Int, duration: Int64) {
            self.failures = failures
            self.duration = duration
        }
    }

    public enum SignInOutcome: Sendable, Equatable {
        case accepted
        case refused
        /// Locked until then (UTC ms), whatever the password.
        case locked(until: Int64)
    }

    /// Records one sign-in attempt whose password was checked: success clears
    /// the count, a failure adds to it and may lock the account.
    public func recordSignIn(_ id: String, passwordMatched: Bool, lockout: Lockout, now: Int64) async throws -> SignInOutcome {
        try await store.write(on: database) { db in
            let sql = db.sql
            struct Row: Decodable { var failed_sign_ins: Int; var locked_until_ms: Int64? }
            guard let row = try await sql.raw("SELECT failed_sign_ins, locked_until_ms FROM staff WHERE id = \(bind: id)").first(decoding: Row.self) else {
                return .refused
            }
            if let until = row.locked_until_ms, until > now { return .locked(until: until) }
            if passwordMatched {
                try await sql.raw("UPDATE staff SET failed_sign_ins = 0, locked_until_ms = NULL WHERE id = \(bind: id)").run()
                return .accepted
            }
            let failures = row.failed_sign_ins + 1
            if failures >= lockout.failures {
                let until = now + lockout.duration
                try await sql.raw("UPDATE staff SET failed_sign_ins = 0, locked_until_ms = \(bind: until) WHERE id = \(bind: id)").run()
                return .locked(until: until)
            }
            try await sql.raw("UPDATE staff SET failed_sign_ins = \(bind: failures) WHERE id = \(bind: id)").run()
            return .refused
        }
    }
}
