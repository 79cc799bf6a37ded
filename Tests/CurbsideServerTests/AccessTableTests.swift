@testable import CurbsideServer
import CurbsideCore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing
import Vapor

/// Every operation of the contract called over HTTP as every role: refused
/// with 403 exactly where `x-curbside-roles` leaves the role out, and let
/// through (to whatever the request then deserves) everywhere else. Public
/// operations refuse nobody. Together with the explicit tables in the
/// billing, patrol and registry tests, this is the endpoint × role table.
@Suite("Access table: every operation × every role", .ownThread)
struct AccessTableTests {
    /// A value for each path parameter; none of them names a stored record.
    static let pathValues = [
        "code": "10010019", "zone_id": "SP1", "segment_id": "1001", "sha256": String(repeating: "a", count: 64), "session_id": "none",
        "number": "none", "token": "none", "payment_id": "none", "plate": "%E7%B2%A4J12345", "beat_id": "none", "case_id": "none",
        "appeal_id": "none", "alert_id": "1", "channel": "unionpay", "month": "2026-11", "table": "days", "chart": "revenue", "date": "2026-11-20",
        "id": "00000000-0000-0000-0000-000000000000", "staff_id": "nobody", "car_id": "none",
    ]

    static func path(_ template: String) -> String {
        var path = template
        for (name, value) in pathValues { path = path.replacingOccurrences(of: "{\(name)}", with: value) }
        return path
    }

    @Test("Each role against each operation", arguments: Role.allCases)
    func table(role: Role) async throws {
        let operations = ContractTests.operations.sorted { ($0.path, $0.method) < ($1.path, $1.method) }
        #expect(operations.count >= 80)
        try await withTestApp(.sqlite, content: .empty, configure: { $0.backgroundJobs = false }) { app in
            let token = try await app.token(role, subject: "table-\(role.rawValue)")
            for operation in operations where !operation.path.hasSuffix("/stream") {
                let path = Self.path(operation.path)
                #expect(!path.contains("{"), "\(operation.id): a path parameter has no value")
                let body: Data? = ["POST", "PUT", "PATCH"].contains(operation.method) ? Data("{}".utf8) : nil
                let response = try await app.request(HTTPMethod(rawValue: operation.method), path, body: body, token: token)
                // Read from the document itself, not through the policy the server uses.
                let isPublic = (operation.operation["security"] as? [Any])?.isEmpty == true
                let roles = operation.operation["x-curbside-roles"] as? [String] ?? []
                if isPublic || roles.contains(role.rawValue) {
                    #expect(response.status != 403 && response.status != 401, "\(role) \(operation.method) \(operation.path): \(response.status) \(response.text.prefix(120))")
                } else {
                    #expect(response.status == 403 && response.errorCode == "forbidden", "\(role) \(operation.method) \(operation.path): \(response.status)")
                }
            }
            // The stream, checked for its refusal only (an allowed call would stay open).
            let stream = try await app.request(.GET, "/v1/patrol/alerts/stream", token: token)
            #expect(stream.status == (role == .patrol ? 404 : 403), "\(role) streaming alerts")
        }
    }
}
