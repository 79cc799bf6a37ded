import CurbsideCore
import CurbsideServer
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

@Suite("Authentication and roles", .ownThread)
struct AuthenticationTests {
    @Test("No token, a malformed one, one signed elsewhere, or an expired one: 401 with a code")
    func badTokens() async throws {
        try await withTestApp(.sqlite, content: .empty) { app in
            let missing = try await app.get("/v1/admin/zones")
            #expect(missing.status == 401)
            #expect(missing.errorCode == "unauthenticated")
            #expect(missing.headers.first(name: "WWW-Authenticate") == "Bearer")

            let garbage = try await app.request(.GET, "/v1/admin/zones", token: "not.a.jwt")
            #expect(garbage.status == 401)
            #expect(garbage.errorCode == "token_invalid")

            let basic = try await app.request(.GET, "/v1/admin/zones", headers: [("Authorization", "Basic YWRtaW46YWRtaW4=")])
            #expect(basic.status == 401)

            let foreign = await TokenService(secret: Data("another-server-entirely-0123456789abcdef".utf8), issuer: "curbside")
            let forged = try await foreign.issue(for: Principal(subject: "mallory", role: .admin), validFor: 600)
            #expect(try await app.request(.GET, "/v1/admin/zones", token: forged).errorCode == "token_invalid")

            let tokens = try await CurbsideApp.tokenService(app.configuration)
            let expired = try await tokens.issue(for: Principal(subject: "ops", role: .admin), validFor: 60, now: Date().addingTimeInterval(-3600))
            let late = try await app.request(.GET, "/v1/admin/zones", token: expired)
            #expect(late.status == 401)
            #expect(late.errorCode == "token_expired")

            // A bad token is refused even where no token is needed.
            #expect(try await app.request(.GET, "/v1/availability", token: "not.a.jwt").status == 401)
        }
    }

    @Test("Registry reads and writes by role", arguments: Role.allCases)
    func rolesOnRegistry(role: Role) async throws {
        try await withTestApp(.sqlite, content: .empty) { app in
            let read = try await app.get("/v1/admin/zones", as: role)
            let mayRead: Set<Role> = [.admin, .operator, .auditor]
            #expect(read.status == (mayRead.contains(role) ? 200 : 403), "\(role) reading zones")
            if read.status == 403 { #expect(read.errorCode == "forbidden") }

            let write = try await app.request(.POST, "/v1/admin/zones/none/reinstate", as: role)
            let mayWrite: Set<Role> = [.admin, .operator]
            #expect(write.status == (mayWrite.contains(role) ? 404 : 403), "\(role) writing zones")
        }
    }
}
