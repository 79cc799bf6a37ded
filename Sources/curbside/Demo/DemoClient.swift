import CurbsideAPI
import Foundation
import OpenAPIAsyncHTTPClient

/// The demo's way to the running server: the contract's generated client, over real HTTP.
struct DemoClient: Sendable {
    let baseURL: String

    /// A client signed with `token`, or anonymous (a citizen's phone, a channel's notification).
    func api(_ token: String? = nil) -> Client {
        Client(curbside: URL(string: baseURL)!, transport: AsyncHTTPClientTransport(), token: token)
    }
}
