import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import Foundation
import Testing

/// A token is only as good as the account behind it, looked up on every
/// request; officers work only the beats a supervisor assigned, see only
/// their beat, and every plate they look up is audited with the reason.
@Suite("Staff as live records over HTTP")
struct StaffRecordTests {
    @Test("Tokens of accounts that do not exist, are closed, or changed role are refused at once", arguments: StoreKind.testCases)
    func liveAccounts(kind: StoreKind) async throws {
        try await withTestApp(kind, content: .empty) { app in
            let tokens = try await CurbsideApp.tokenService(app.configuration)
            for (role, path) in [(Role.patrol, "/v1/patrol/shift"), (.admin, "/v1/admin/staff"), (.gateway, "/v1/admin/gateways"), (.citizen, "/v1/citizen/plates")] {
                let ghost = try await tokens.issue(for: Principal(subject: "ghost-\(role.rawValue)", role: role), validFor: 600)
                let refused = try await app.request(.GET, path, token: ghost)
                #expect(refused.status == 401 && refused.errorCode == "account_unknown", "\(role): \(refused.text)")
            }
            // An officer closed while signed in, and reopened.
            let officer = try await app.token(.patrol, subject: "wu.ming")
            #expect(try await app.request(.GET, "/v1/patrol/shift", token: officer).errorCode == "no_open_shift")
            let close = ["name": "吴明", "role": "patrol", "active": false] as [String: Any]
            #expect(try await app.request(.PUT, "/v1/admin/staff/wu.ming", json: close, as: .operator).status == 403)
            #expect(try await app.request(.PUT, "/v1/admin/staff/wu.ming", json: close, as: .admin).status == 200)
            #expect(try await app.request(.GET, "/v1/patrol/shift", token: officer).errorCode == "account_closed")
            var reopen = close
            reopen["active"] = true
            #expect(try await app.request(.PUT, "/v1/admin/staff/wu.ming", json: reopen, as: .admin).status == 200)
            #expect(try await app.request(.GET, "/v1/patrol/shift", token: officer).errorCode == "no_open_shift")
            // A role changed: the old token goes stale; the account's new token works.
            var moved = reopen
            moved["role"] = "auditor"
            #expect(try await app.request(.PUT, "/v1/admin/staff/wu.ming", json: moved, as: .admin).status == 200)
            #expect(try await app.request(.GET, "/v1/patrol/shift", token: officer).errorCode == "token_stale")
            let record = try await app.get("/v1/admin/staff/wu.ming", as: .auditor)
            #expect(record.json["role"] as? String == "auditor" && record.json["active"] as? Bool == true)
            // An administrator cannot lock themselves out.
            let admin = try await app.token(.admin, subject: "root")
            #expect(try await app.request(.PUT, "/v1/admin/staff/root", json: ["name": "root", "role": "operator", "active": true], token: admin).errorCode == "own_account")
            #expect(try await app.request(.PUT, "/v1/admin/staff/root", json: ["name": "root", "role": "admin", "active": false], token: admin).errorCode == "own_account")
            // Tokens that say they were issued in the future, or last longer than their role's tokens may.
            let future = try await tokens.issue(for: Principal(subject: "root", role: .admin), validFor: 600, now: Date().addingTimeInterval(3600))
            #expect(try await app.request(.GET, "/v1/admin/staff", token: future).errorCode == "token_invalid")
            await #expect(throws: APIError.self) { try await tokens.issue(for: Principal(subject: "root", role: .admin), validFor: 10 * 365 * 86_400) }
            let audit = try await app.get("/v1/admin/audit-log", as: .auditor).json["items"] as? [[String: Any]] ?? []
            #expect(audit.filter { $0["action"] as? String == "update_staff" && $0["subject"] as? String == "wu.ming" }.count == 3)
        }
    }

    @Test("Officers open shifts only on assigned beats and see and inspect only their beat; every plate look-up is audited", arguments: StoreKind.testCases)
    func beats(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(BillingFlowTests.noon), configure: PaymentRulesTests.configure()) { app in
            _ = try await PaymentRulesTests.billed(app)
            #expect(try await app.ingest(StayEvents.stay(bay: "10010051", sensor: "GM-1001-005", plate: "粤J44444", from: "2026-11-20T19:00:00+08:00", to: nil, id: "P")).status == 200)
            #expect(try await app.ingest(StayEvents.stay(bay: "10020014", sensor: "GM-1002-001", plate: "粤J77777", from: "2026-11-20T19:00:00+08:00", to: nil, id: "Q")).status == 200)
            try await app.fuse()
            for beat in [["id": "B1", "name": "北", "segments": ["1001"]], ["id": "B2", "name": "南", "segments": ["1002"]]] {
                #expect(try await app.request(.POST, "/v1/admin/beats", json: beat, as: .operator).status == 201)
            }
            let officer = try await app.token(.patrol, subject: "zhou.li")
            #expect(try await app.request(.PUT, "/v1/admin/staff/zhou.li/beats", json: ["beats": ["B1"]], as: .operator).status == 200)
            #expect(try await app.request(.PUT, "/v1/admin/staff/operator.tester/beats", json: ["beats": ["B1"]], as: .operator).errorCode == "not_an_officer")
            #expect(try await app.request(.POST, "/v1/patrol/shifts", json: ["beat_id": "B2"], token: officer).errorCode == "beat_not_assigned")
            #expect(try await app.request(.POST, "/v1/patrol/shifts", json: ["beat_id": "B1"], token: officer).status == 201)
            // The beat's bay, yes; another beat's, no; a plate parked on the beat, yes; one parked elsewhere, no.
            #expect(try await app.request(.GET, "/v1/patrol/bays/10010051", token: officer).status == 200)
            #expect(try await app.request(.GET, "/v1/patrol/bays/10020014", token: officer).errorCode == "off_beat")
            #expect(try await app.request(.GET, "/v1/patrol/plates/%E7%B2%A4J44444?colour=blue&reason=routine%20round", token: officer).status == 200)
            let elsewhere = try await app.request(.GET, "/v1/patrol/plates/%E7%B2%A4J77777?colour=blue&reason=curious", token: officer)
            #expect(elsewhere.status == 404 && elsewhere.errorCode == "plate_not_on_beat")
            #expect(try await app.request(.GET, "/v1/patrol/plates/%E7%B2%A4J44444?colour=blue", token: officer).errorCode == "missing_parameter")
            // Back-office look-ups by plate say why too.
            #expect(try await app.get("/v1/pay/bills?plate=%E7%B2%A4J44444&colour=blue", as: .finance).errorCode == "reason_required")
            #expect(try await app.get("/v1/admin/permits?plate=%E7%B2%A4J44444", as: .operator).errorCode == "reason_required")
            #expect(try await app.get("/v1/admin/permits?plate=%E7%B2%A4J44444&reason=permit%20query", as: .operator).status == 200)
            let audit = try await app.get("/v1/admin/audit-log", as: .auditor).json["items"] as? [[String: Any]] ?? []
            let lookups = audit.filter { $0["action"] as? String == "plate_lookup" }
            #expect(lookups.map { "\($0["actor"]!) \($0["subject"]!) \(($0["detail"] as? [String: Any])?["reason"] ?? "")" } == [
                "zhou.li 粤J44444 routine round", "zhou.li 粤J77777 curious", "operator.tester 粤J44444 permit query",
            ])
        }
    }
}
