import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// A token is only as good as the account behind it, looked up on every
/// request; officers work only the beats a supervisor assigned, see only
/// their beat, and every plate they look up is audited with the reason.
@Suite("Staff as live records over HTTP", .ownThread)
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
            let officer = try await app.client(as: .patrol, subject: "wu.ming")
            #expect(try await officer.getMyShift().notFound.body.json.code == "no_open_shift")
            let admins = try await app.client(as: .admin)
            func update(_ id: String, role: Operations.UpdateStaff.Input.Body.JsonPayload.RolePayload, active: Bool, by client: Client) async throws -> Operations.UpdateStaff.Output {
                try await client.updateStaff(path: .init(staffId: id), body: .json(.init(name: id == "wu.ming" ? "吴明" : id, role: role, active: active)))
            }
            _ = try await update("wu.ming", role: .patrol, active: false, by: try await app.client(as: .operator)).forbidden
            _ = try await update("wu.ming", role: .patrol, active: false, by: admins).ok
            #expect(try await officer.getMyShift().unauthorized.body.json.code == "account_closed")
            _ = try await update("wu.ming", role: .patrol, active: true, by: admins).ok
            #expect(try await officer.getMyShift().notFound.body.json.code == "no_open_shift")
            // A role changed: the old token goes stale; the account's new token works.
            _ = try await update("wu.ming", role: .auditor, active: true, by: admins).ok
            #expect(try await officer.getMyShift().unauthorized.body.json.code == "token_stale")
            let record = try await app.client(as: .auditor).getStaff(path: .init(staffId: "wu.ming")).ok.body.json
            #expect(record.role == .auditor && record.active)
            // An administrator cannot lock themselves out.
            let root = try await app.client(as: .admin, subject: "root")
            #expect(try await update("root", role: ._operator, active: true, by: root).unprocessableContent.body.json.code == "own_account")
            #expect(try await update("root", role: .admin, active: false, by: root).unprocessableContent.body.json.code == "own_account")
            // Tokens that say they were issued in the future, or last longer than their role's tokens may.
            let future = try await tokens.issue(for: Principal(subject: "root", role: .admin), validFor: 600, now: Date().addingTimeInterval(3600))
            #expect(try await app.client(token: future).listStaff().unauthorized.body.json.code == "token_invalid")
            await #expect(throws: APIError.self) { try await tokens.issue(for: Principal(subject: "root", role: .admin), validFor: 10 * 365 * 86_400) }
            let audit = try await app.client(as: .auditor).listAuditLog().ok.body.json.items
            #expect(audit.filter { $0.action == "update_staff" && $0.subject == "wu.ming" }.count == 3)
        }
    }

    @Test("Officers open shifts only on assigned beats and see and inspect only their beat; every plate look-up is audited", arguments: StoreKind.testCases)
    func beats(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(BillingFlowTests.noon), configure: PaymentRulesTests.configure()) { app in
            _ = try await PaymentRulesTests.billed(app)
            #expect(try await app.ingest(StayEvents.stay(bay: "10010051", sensor: "GM-1001-005", plate: "粤J44444", from: "2026-11-20T19:00:00+08:00", to: nil, id: "P")).status == 200)
            #expect(try await app.ingest(StayEvents.stay(bay: "10020014", sensor: "GM-1002-001", plate: "粤J77777", from: "2026-11-20T19:00:00+08:00", to: nil, id: "Q")).status == 200)
            try await app.fuse()
            let operators = try await app.client(as: .operator)
            _ = try await operators.createBeat(body: .json(.init(id: "B1", name: "北", segments: ["1001"]))).created
            _ = try await operators.createBeat(body: .json(.init(id: "B2", name: "南", segments: ["1002"]))).created
            let token = try await app.token(.patrol, subject: "zhou.li")
            let officer = try await app.client(token: token)
            _ = try await operators.assignBeats(path: .init(staffId: "zhou.li"), body: .json(.init(beats: ["B1"]))).ok
            let notOfficer = try await operators.assignBeats(path: .init(staffId: "operator.tester"), body: .json(.init(beats: ["B1"])))
            #expect(try notOfficer.unprocessableContent.body.json.code == "not_an_officer")
            #expect(try await officer.openShift(body: .json(.init(beatId: "B2"))).forbidden.body.json.code == "beat_not_assigned")
            _ = try await officer.openShift(body: .json(.init(beatId: "B1"))).created
            // The beat's bay, yes; another beat's, no; a plate parked on the beat, yes; one parked elsewhere, no.
            _ = try await officer.inspectBay(path: .init(code: "10010051")).ok
            #expect(try await officer.inspectBay(path: .init(code: "10020014")).forbidden.body.json.code == "off_beat")
            _ = try await officer.inspectPlate(path: .init(plate: "粤J44444"), query: .init(colour: .blue, reason: "routine round")).ok
            let elsewhere = try await officer.inspectPlate(path: .init(plate: "粤J77777"), query: .init(colour: .blue, reason: "curious"))
            #expect(try elsewhere.notFound.body.json.code == "plate_not_on_beat")
            // A look-up without its reason is what the client cannot send; raw, it is refused.
            #expect(try await app.request(.GET, "/v1/patrol/plates/%E7%B2%A4J44444?colour=blue", token: token).errorCode == "missing_parameter")
            // Back-office look-ups by plate say why too.
            let finance = try await app.client(as: .finance)
            #expect(try await finance.findBills(query: .init(plate: "粤J44444", colour: .blue)).badRequest.body.json.code == "reason_required")
            #expect(try await operators.listPermits(query: .init(plate: "粤J44444")).badRequest.body.json.code == "reason_required")
            _ = try await operators.listPermits(query: .init(plate: "粤J44444", reason: "permit query")).ok
            let audit = try await app.client(as: .auditor).listAuditLog().ok.body.json.items
            let lookups = audit.filter { $0.action == "plate_lookup" }
            #expect(lookups.map { "\($0.actor) \($0.subject) \($0.detail.additionalProperties["reason"] ?? "")" } == [
                "zhou.li 粤J44444 routine round", "zhou.li 粤J77777 curious", "operator.tester 粤J44444 permit query",
            ])
        }
    }
}
