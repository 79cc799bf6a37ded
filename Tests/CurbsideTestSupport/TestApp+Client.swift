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
