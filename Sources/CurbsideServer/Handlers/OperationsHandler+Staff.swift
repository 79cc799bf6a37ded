import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation
import Vapor

extension OperationsHandler {
    /// Staff tokens last a shift and a half.
    static let staffTokenLifetime: TimeInterval = 12 * 3600
    /// bcrypt's cost for staff passwords: about 50 ms a check on one core, done off the request threads.
    static let passwordCost = 10

    func staffSignIn(_ input: Operations.StaffSignIn.Input) async throws -> Operations.StaffSignIn.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let refused = APIError(.unauthorized, AccessErrorCode.signInRefused, "Unknown staff id, wrong password, or an account that is closed.")
        let accounts = StaffAccounts(store: store, database: try database)
        let account = try await accounts.account(request.staffId)
        if let until = account?.lockedUntil, until > now { throw Self.locked(until: until, now: now) }
        // An unknown id costs the same hashing as a known one, so timing tells nobody which ids exist.
        let hash = account?.passwordHash ?? Self.decoyHash
        let matched = (try? await RequestContext.current.password.async.verify(request.password, created: hash)) == true
        guard let account, account.active else { throw refused }
        let lockout = StaffAccounts.Lockout(failures: guards.settings.staffLockoutFailures, duration: Int64(guards.settings.staffLockoutSeconds * 1000))
        switch try await accounts.recordSignIn(account.id, passwordMatched: matched, lockout: lockout, now: now) {
        case .accepted: break
        case .refused: throw refused
        case let .locked(until): throw Self.locked(until: until, now: now)
        }
        // Tokens are checked against the system clock, so they are issued by it too.
        let issued = Date()
        let token = try await tokens.issue(for: Principal(subject: account.id, role: account.role), validFor: Self.staffTokenLifetime, now: issued)
        return .ok(.init(body: .json(.init(token: token, role: account.role.rawValue, expiresAt: issued.addingTimeInterval(Self.staffTokenLifetime)))))
    }

    /// A bcrypt hash of nothing anyone knows, checked against when the staff id is unknown.
    static let decoyHash = (try? Bcrypt.hash(UUID().uuidString, cost: Self.passwordCost)) ?? ""

    static func locked(until: Int64, now: Int64) -> APIError {
        let seconds = Int((until - now + 999) / 1000)
        return .tooMany(AccessErrorCode.signInLocked, "Too many failed sign-ins for this account: it is locked for \((seconds + 59) / 60) min, or until an administrator unlocks it.", retryAfter: seconds)
    }

    func createStaff(_ input: Operations.CreateStaff.Input) async throws -> Operations.CreateStaff.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let id = try InputValidation.identifier(request.id, field: "id")
        let name = try InputValidation.text(request.name, field: "name")
        guard request.password.count >= 10 else { throw APIError.invalid(AccessErrorCode.passwordTooShort, "A password has at least 10 characters.") }
        let role = Role(rawValue: request.role.rawValue)!
        let hash = try await RequestContext.current.password.async.hash(request.password)
        try await StaffAccounts(store: store, database: try database).create(id: id, name: name, role: role, passwordHash: hash, by: try principal, now: now)
        return .created(.init(body: .json(.init(id: id, name: name, role: role.rawValue))))
    }
}

extension OperationsHandler {
    var staffAccounts: StaffAccounts {
        get throws { StaffAccounts(store: store, database: try database) }
    }

    func listStaff(_ input: Operations.ListStaff.Input) async throws -> Operations.ListStaff.Output {
        .ok(.init(body: .json(.init(items: try await staffAccounts.records().map(Components.Schemas.StaffRecord.init)))))
    }

    func getStaff(_ input: Operations.GetStaff.Input) async throws -> Operations.GetStaff.Output {
        guard let record = try await staffAccounts.records(id: input.path.staffId).first else { throw APIError.notFound(AccessErrorCode.staffNotFound, input.path.staffId) }
        return .ok(.init(body: .json(.init(record))))
    }

    func updateStaff(_ input: Operations.UpdateStaff.Input) async throws -> Operations.UpdateStaff.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let record = try await staffAccounts.update(
            id: input.path.staffId, name: try InputValidation.text(request.name, field: "name"), role: Role(rawValue: request.role.rawValue)!,
            active: request.active, by: try principal, now: now
        )
        return .ok(.init(body: .json(.init(record))))
    }

    func unlockStaff(_ input: Operations.UnlockStaff.Input) async throws -> Operations.UnlockStaff.Output {
        .ok(.init(body: .json(.init(try await staffAccounts.unlock(id: input.path.staffId, by: try principal, now: now)))))
    }

    func assignBeats(_ input: Operations.AssignBeats.Input) async throws -> Operations.AssignBeats.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        return .ok(.init(body: .json(.init(try await staffAccounts.assign(id: input.path.staffId, beats: request.beats, by: try principal, now: now)))))
    }
}

extension Components.Schemas.StaffRecord {
    init(_ record: StaffAccounts.Record) {
        self.init(
            id: record.id, name: record.name, role: .init(rawValue: record.role.rawValue)!, active: record.active,
            lockedUntil: record.lockedUntil.map(Date.init(milliseconds:)), beats: record.beats
        )
    }
}
