import CurbsideCore
import CurbsideStore
import Foundation
import Vapor

extension APIHandler {
    /// Staff tokens last a shift and a half.
    static let staffTokenLifetime: TimeInterval = 12 * 3600

    func staffSignIn(_ input: Operations.StaffSignIn.Input) async throws -> Operations.StaffSignIn.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let refused = APIError(.unauthorized, "sign_in_refused", "Unknown staff id, wrong password, or an account that is closed.")
        guard let account = try await StaffAccounts(store: store, database: try database).account(request.staffId), account.active,
              (try? Bcrypt.verify(request.password, created: account.passwordHash)) == true
        else { throw refused }
        // Tokens are checked against the system clock, so they are issued by it too.
        let issued = Date()
        let token = try await tokens.issue(for: Principal(subject: account.id, role: account.role), validFor: Self.staffTokenLifetime, now: issued)
        return .ok(.init(body: .json(.init(token: token, role: account.role.rawValue, expiresAt: issued.addingTimeInterval(Self.staffTokenLifetime)))))
    }

    func createStaff(_ input: Operations.CreateStaff.Input) async throws -> Operations.CreateStaff.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let id = try InputValidation.identifier(request.id, field: "id")
        let name = try InputValidation.text(request.name, field: "name")
        guard request.password.count >= 10 else { throw APIError.invalid("password_too_short", "A password has at least 10 characters.") }
        let role = Role(rawValue: request.role.rawValue)!
        let hash = try Bcrypt.hash(request.password, cost: 10)
        try await StaffAccounts(store: store, database: try database).create(id: id, name: name, role: role, passwordHash: hash, by: try principal, now: now)
        return .created(.init(body: .json(.init(id: id, name: name, role: role.rawValue))))
    }
}
