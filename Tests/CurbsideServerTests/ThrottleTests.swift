import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// The throttles a public deployment needs, each past its limit answered 429
/// with Retry-After: password sign-ins per address and per account (a
/// lock-out an administrator can lift), sign-in codes per phone, per address
/// and per hour, and alert streams per officer.
@Suite("Throttles and lock-outs over HTTP", .ownThread)
struct ThrottleTests {
    @Test("Wrong passwords lock the account, even against the right one, until an administrator unlocks it", arguments: StoreKind.testCases)
    func staffLockout(kind: StoreKind) async throws {
        try await withTestApp(kind, content: .empty, configure: { $0.edge.staffLockoutFailures = 3; $0.edge.staffLockoutSeconds = 900 }) { app in
            #expect(try await app.request(.POST, "/v1/admin/staff", json: ["id": "qian.yu", "name": "钱雨", "role": "finance", "password": "the right password"], as: .admin).status == 201)
            func signIn(_ password: String) async throws -> TestResponse {
                try await app.request(.POST, "/v1/staff/sign-in", json: ["staff_id": "qian.yu", "password": password])
            }
            #expect(try await signIn("wrong one 1").status == 401)
            #expect(try await signIn("wrong one 2").status == 401)
            let locked = try await signIn("wrong one 3")
            #expect(locked.status == 429 && locked.errorCode == "sign_in_locked" && Int(locked.headers.first(name: "Retry-After") ?? "") ?? 0 > 800)
            let evenRight = try await signIn("the right password")
            #expect(evenRight.status == 429 && evenRight.errorCode == "sign_in_locked")
            #expect(try await app.get("/v1/admin/staff/qian.yu", as: .auditor).json["locked_until"] != nil)
            #expect(try await app.request(.POST, "/v1/admin/staff/qian.yu/unlock", as: .operator).status == 403)
            #expect(try await app.request(.POST, "/v1/admin/staff/qian.yu/unlock", as: .admin).status == 200)
            let signedIn = try await signIn("the right password")
            #expect(signedIn.status == 200 && signedIn.json["role"] as? String == "finance")
            // An unknown id is refused as a wrong password is, and locks nothing.
            #expect(try await app.request(.POST, "/v1/staff/sign-in", json: ["staff_id": "nobody", "password": "whatever it is"]).errorCode == "sign_in_refused")
            let audit = try await app.get("/v1/admin/audit-log", as: .auditor).json["items"] as? [[String: Any]] ?? []
            #expect(audit.contains { $0["action"] as? String == "unlock_staff" && $0["subject"] as? String == "qian.yu" })
        }
    }

    @Test("Sign-ins from one address are counted, whoever they are for", arguments: StoreKind.testCases)
    func signInsPerAddress(kind: StoreKind) async throws {
        try await withTestApp(kind, content: .empty, configure: { $0.edge.staffSignInPerAddress = .init(4, per: 600); $0.edge.codeSignInsPerAddress = .init(3, per: 600) }) { app in
            var staff: [Int] = []
            for index in 0..<6 {
                staff.append(try await app.request(.POST, "/v1/staff/sign-in", json: ["staff_id": "user\(index)", "password": "password \(index)"]).status)
            }
            #expect(staff == [401, 401, 401, 401, 429, 429])
            var codes: [Int] = []
            for index in 0..<5 {
                codes.append(try await app.request(.POST, "/v1/citizen/sign-in", json: ["phone": "1380013800\(index)", "code": "123456"]).status)
            }
            #expect(codes == [401, 401, 401, 429, 429])
        }
    }

    @Test("Sign-in codes are limited per phone and per address in this server, and per hour across all servers", arguments: StoreKind.testCases)
    func codes(kind: StoreKind) async throws {
        let clock = TestClock(BillingFlowTests.noon)
        try await withTestApp(kind, content: .empty, clock: clock, configure: {
            $0.edge.codesPerPhone = .init(2, per: 3600)
            $0.edge.codesPerAddress = .init(7, per: 3600)
            $0.edge.codesPerHour = 4
        }) { app in
            func ask(_ phone: String) async throws -> TestResponse {
                try await app.request(.POST, "/v1/citizen/sign-in/code", json: ["phone": phone])
            }
            #expect(try await ask("13800000001").status == 202)
            #expect(try await ask("13800000001").errorCode == "code_too_soon")
            clock.advance(by: 61)
            #expect(try await ask("13800000001").status == 202)
            clock.advance(by: 61)
            let phone = try await ask("13800000001")
            #expect(phone.status == 429 && phone.errorCode == "too_many_codes" && Int(phone.headers.first(name: "Retry-After") ?? "") ?? 0 > 3000)
            // The hour's budget: 2 sent, 2 more, then none for anyone.
            #expect(try await ask("13800000002").status == 202)
            #expect(try await ask("13800000003").status == 202)
            #expect(try await ask("13800000004").errorCode == "codes_paused")
            // An hour later the phone and the budget are free again; the address, counted in memory, has used its 7.
            clock.advance(by: 3600)
            let address = try await ask("13800000005")
            #expect(address.status == 429 && address.errorCode == "too_many_requests", "\(address.text)")
        }
    }

    @Test("An officer holds at most the configured number of alert streams open", arguments: StoreKind.testCases)
    func streams(kind: StoreKind) async throws {
        try await withTestApp(kind, configure: { $0.backgroundJobs = false; $0.edge.alertStreamsPerOfficer = 2 }) { app in
            let officer = try await app.openShift(officer: "sun.ke")
            let raw = RawHTTP(baseURL: app.baseURL)
            let request = "GET /v1/patrol/alerts/stream HTTP/1.1\r\nHost: curbside\r\nAuthorization: Bearer \(officer)\r\n\r\n"
            async let first = raw.exchange(request, timeout: 3)
            async let second = raw.exchange(request, timeout: 3)
            try await Task.sleep(for: .milliseconds(800))
            let third = try await app.request(.GET, "/v1/patrol/alerts/stream", token: officer)
            #expect(third.status == 429 && third.errorCode == "too_many_streams")
            let (a, b) = await (first, second)
            #expect(a.status == 200 && b.status == 200)
            // Closed streams give their places back, once the server's next heartbeat finds them gone.
            // Each try waits long enough for its answer: one that timed out on a busy machine could hold a place itself.
            var again = 0
            for _ in 0..<40 where again != 200 {
                try await Task.sleep(for: .milliseconds(500))
                again = await raw.exchange(request, timeout: 5).status
            }
            #expect(again == 200)
        }
    }
}
