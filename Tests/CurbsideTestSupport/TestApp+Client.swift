import CurbsideAPI
import CurbsideCore
import Foundation
import OpenAPIAsyncHTTPClient

extension TestApp {
    /// The generated client of the contract, over real HTTP to this server,
    /// signed as `role` (a fresh token for `subject`), with `token`, or anonymous.
    public func client(as role: Role? = nil, subject: String? = nil, token: String? = nil) async throws -> Client {
        var bearer = token
        if bearer == nil, let role { bearer = try await self.token(role, subject: subject) }
        return Client(curbside: URL(string: baseURL)!, transport: AsyncHTTPClientTransport(), token: bearer)
    }
}

extension TestApp {
    /// A bill with its ledger, refunds and notices, as finance sees it.
    public func billDetail(_ number: String) async throws -> Components.Schemas.BillDetail {
        try await client(as: .finance).getBill(path: .init(number: number)).ok.body.json
    }
}

extension Date {
    /// An instant written as RFC 3339, read as the contract reads it.
    public init(rfc3339 text: String) throws {
        self = try RFC3339DateTranscoder().decode(text)
    }
}
