import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A small JSON-over-HTTP client for the demo: real requests to the running server.
struct DemoClient: Sendable {
    let baseURL: String
    let client: HTTPClient

    struct Reply: Sendable {
        var status: Int
        var body: Data

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONDecoder.demo.decode(type, from: body)
        }
    }

    func get(_ path: String, token: String? = nil) async throws -> Reply {
        try await send(.GET, path, token: token)
    }

    func post(_ path: String, json: [String: Any], token: String? = nil) async throws -> Reply {
        try await send(.POST, path, body: try JSONSerialization.data(withJSONObject: json), token: token)
    }

    func send(
        _ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String = "application/json", token: String? = nil,
        headers: [(String, String)] = []
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(data: body))
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), body: Data(buffer: body))
    }
}

extension JSONDecoder {
    static let demo: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
