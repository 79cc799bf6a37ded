import HTTPTypes
import OpenAPIRuntime

/// Refuses bodies over the operation's limit: at once when the length is
/// declared, and as soon as the count passes the limit when it is streamed.
struct BodyLimitMiddleware: ServerMiddleware {
    let defaultLimit: Int
    let limits: [String: Int]

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let body else { return try await next(request, nil, metadata) }
        let limit = limits[operationID] ?? defaultLimit
        if case let .known(length) = body.length, length > limit {
            throw Self.tooLarge(limit)
        }
        let limited = HTTPBody(LimitedBytes(base: body, limit: limit), length: body.length, iterationBehavior: body.iterationBehavior)
        return try await next(request, limited, metadata)
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(.payloadTooLarge, RequestErrorCode.bodyTooLarge, "The body is larger than the \(limit) bytes this operation accepts.")
    }
}

/// A byte stream that fails once more than `limit` bytes have passed.
struct LimitedBytes: AsyncSequence, Sendable {
    typealias Element = ArraySlice<UInt8>
    let base: HTTPBody
    let limit: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: HTTPBody.AsyncIterator
        let limit: Int
        var seen = 0

        mutating func next() async throws -> ArraySlice<UInt8>? {
            guard let chunk = try await base.next() else { return nil }
            seen += chunk.count
            if seen > limit { throw BodyLimitMiddleware.tooLarge(limit) }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit)
    }
}
