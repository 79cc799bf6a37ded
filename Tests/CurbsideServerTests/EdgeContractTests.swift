import CurbsideCore
import CurbsideServer
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing
import Vapor

/// The contract's bounds and forms, enforced from openapi.yaml before any
/// handler runs: each violation a 400 with a code and the field at fault,
/// on both stores (PostgreSQL refuses NUL in text; the server must refuse it first).
@Suite("The contract enforced over HTTP", .ownThread)
struct EdgeContractTests {
    @Test("Bounds, lengths, counts, enums and patterns of the contract are refused with the field named", arguments: StoreKind.testCases)
    func bounds(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(BillingFlowTests.noon), configure: PaymentRulesTests.configure()) { app in
            let cases: [(body: [String: Any], code: String, field: String)] = [
                (["channel": "wechat", "top_up_fen": -500], "invalid_field", "top_up_fen"),
                (["channel": "wechat", "top_up_fen": 99], "invalid_field", "top_up_fen"),
                (["channel": "wechat", "top_up_fen": 100_001], "invalid_field", "top_up_fen"),
                (["channel": "wechat", "bills": [String]()], "invalid_field", "bills"),
                (["channel": "wechat", "bills": Array(repeating: "B2", count: 51)], "invalid_field", "bills"),
                (["channel": "wechat", "bills": [String(repeating: "9", count: 41)]], "invalid_field", "bills[0]"),
                (["channel": "wechat", "bay": "10010051", "minutes_more": 100_000], "invalid_field", "minutes_more"),
                (["channel": "bitcoin", "bills": ["B2"]], "invalid_field", "channel"),
                (["bills": ["B2"]], "missing_field", "channel"),
                (["channel": 7, "bills": ["B2"]], "invalid_field", "channel"),
            ]
            for (body, code, field) in cases {
                let answer = try await app.request(.POST, "/v1/pay/payments", json: body, as: .citizen)
                let issues = answer.json["issues"] as? [[String: Any]] ?? []
                #expect(answer.status == 400 && answer.errorCode == code && issues.contains { $0["field"] as? String == field }, "\(body): \(answer.status) \(answer.text)")
            }
            // Parameters: a pattern, a bound, an enum, a count of digits no integer holds, one given twice.
            #expect(try await app.get("/v1/admin/evidence/NOTHEX", as: .auditor).errorCode == "invalid_parameter")
            #expect(try await app.get("/v1/admin/audit-log?limit=0", as: .auditor).errorCode == "invalid_parameter")
            #expect(try await app.get("/v1/pay/bills?plate=%E7%B2%A4J5K321&colour=purple").errorCode == "invalid_parameter")
            #expect(try await app.get("/v1/admin/audit-log?after=99999999999999999999", as: .auditor).errorCode == "invalid_parameter")
            #expect(try await app.get("/v1/admin/audit-log?limit=5&limit=6", as: .auditor).errorCode == "invalid_parameter")
            #expect(try await app.get("/v1/pay/bills?colour=blue").errorCode == "missing_parameter")
        }
    }

    @Test("NUL, control characters, bytes that are not UTF-8 and half surrogate pairs are refused on both stores", arguments: StoreKind.testCases)
    func text(kind: StoreKind) async throws {
        try await withTestApp(kind) { app in
            // Sent as bytes: a client library would re-encode what is not UTF-8.
            let raw = RawHTTP(baseURL: app.baseURL)
            for path in ["/v1/pay/bills/1001%00", "/v1/pay/bills/B%FF%FE", "/v1/bays/1001%000019", "/p/ABC%00DEF", "/v1/pay/bills?plate=%E7%B2%A4J%00&colour=blue",
                         "/v1/pay/bills?plate=%C3%28&colour=blue", "/v1/no/such/%FF"] {
                let answer = await raw.exchange("GET \(path) HTTP/1.1\r\nHost: curbside\r\nConnection: close\r\n\r\n")
                #expect(answer.status == 400 && answer.text.contains(#""code":"invalid_text""#), "\(path): \(answer.text)")
            }
            let nul = try await app.request(.POST, "/v1/citizen/sign-in/code", body: Data(#"{"phone":"1380013800\u0000"}"#.utf8))
            #expect(nul.status == 400 && nul.errorCode == "invalid_text", "\(nul.text)")
            let control = try await app.request(.POST, "/v1/admin/zones", body: Data(#"{"id":"Z1","name":"a\u0007b"}"#.utf8), as: .operator)
            #expect(control.status == 400 && (control.json["issues"] as? [[String: Any]] ?? []).contains { $0["code"] as? String == "invalid_text" && $0["field"] as? String == "name" }, "\(control.text)")
            let surrogate = try await app.request(.POST, "/v1/citizen/sign-in/code", body: Data(#"{"phone":"\ud800"}"#.utf8))
            #expect(surrogate.status == 400 && surrogate.errorCode == "malformed_body")
            let bytes = try await app.request(.POST, "/v1/citizen/sign-in/code", body: Data([0x7B, 0x22, 0x70, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]))
            #expect(bytes.status == 400 && bytes.errorCode == "malformed_body")
            let duplicate = try await app.request(.POST, "/v1/citizen/sign-in/code", body: Data(#"{"phone":"13800138000","phone":"13800138001"}"#.utf8))
            #expect(duplicate.status == 400 && duplicate.errorCode == "malformed_body")
            let deep = try await app.request(.POST, "/v1/citizen/sign-in/code", body: Data((String(repeating: "[", count: 100) + String(repeating: "]", count: 100)).utf8))
            #expect(deep.status == 400 && deep.errorCode == "malformed_body")
            #expect(try await app.get("/healthz").status == 200)
        }
    }

    @Test("Times with impossible offsets, dates or clock readings, or outside 1970-2199, are refused", arguments: StoreKind.testCases)
    func times(kind: StoreKind) async throws {
        try await withTestApp(kind, clock: TestClock(FusionScenario.clockTime), configure: { $0.backgroundJobs = false }) { app in
            let good: [String: any Sendable] = ["device_id": "GM-1001-001", "event_id": "t", "type": "sensor_change", "occupied": true]
            for time in ["2026-11-20T09:00:00+25:00", "2026-11-20T09:00:00+14:30", "2026-11-20T09:00:00-13:00", "2026-02-30T09:00:00Z", "2026-11-20T24:00:00Z",
                         "2026-11-20T09:60:00Z", "1969-12-31T23:59:59Z", "2200-01-01T00:00:00Z", "2026-11-20 09:00:00Z", "2026-11-20T09:00:00"] {
                // An event stands alone in its batch: refused by itself, at its index, naming the field.
                let answer = try await app.ingest([good.merging(["time": time, "event_id": "t-\(time)"]) { $1 }])
                let rejected = answer.json["rejected"] as? [[String: Any]]
                #expect(answer.status == 200 && answer.json["accepted"] as? Int == 0, "\(time): \(answer.status) \(answer.text)")
                #expect(rejected?.first?["code"] as? String == "invalid_time" && rejected?.first?["field"] as? String == "events[0].time", "\(time)")
                let action = try await app.request(.POST, "/v1/patrol/actions", json: ["actions": [["id": "a1", "kind": "photos", "at": time, "photos": []]]], as: .patrol)
                #expect(action.status == 400 && action.errorCode == "invalid_time", "\(time): \(action.status) \(action.text)")
            }
            #expect(try await app.ingest([good.merging(["time": "2026-11-20T09:00:00+08:00"]) { $1 }]).status == 200)
        }
    }

    @Test("A method a path does not take is 405 with Allow; a body of another type is 415; a missing body is 400", arguments: StoreKind.testCases)
    func methodsAndTypes(kind: StoreKind) async throws {
        try await withTestApp(kind, content: .empty) { app in
            for (method, path, allowed) in [(HTTPMethod.DELETE, "/v1/pay/payments", "POST"), (.PUT, "/healthz", "GET, HEAD"), (.POST, "/v1/pay/bills/B2", "GET, HEAD")] {
                let answer = try await app.request(method, path)
                #expect(answer.status == 405 && answer.errorCode == "method_not_allowed" && answer.headers.first(name: "Allow") == allowed, "\(method) \(path)")
            }
            #expect(try await app.get("/v1/no/such/path").status == 404)
            let form = try await app.request(.POST, "/v1/citizen/sign-in/code", body: Data("phone=13800138000".utf8), contentType: "application/x-www-form-urlencoded")
            #expect(form.status == 415 && form.errorCode == "unsupported_media_type")
            let empty = try await app.request(.POST, "/v1/citizen/sign-in/code", body: Data())
            #expect(empty.status == 400 && empty.errorCode == "missing_body")
        }
    }
}
