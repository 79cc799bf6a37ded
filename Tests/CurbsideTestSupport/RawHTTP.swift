import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// HTTP as bytes on a TCP socket, for what an HTTP client library will not
/// send: paths it would re-encode, a Content-Length with no body behind it,
/// a connection left open and silent.
public struct RawHTTP: Sendable {
    public let port: Int

    public init(port: Int) {
        self.port = port
    }

    public init(baseURL: String) {
        port = Int(baseURL.split(separator: ":").last ?? "0") ?? 0
    }

    /// What came back, and whether the server closed the connection.
    public struct Exchange: Sendable {
        public var bytes: [UInt8]
        public var closedByServer: Bool
        public var seconds: Double

        public var text: String { String(decoding: bytes, as: UTF8.self) }
        /// The status of the first response, 0 if none came.
        public var status: Int {
            guard text.hasPrefix("HTTP/1.1 ") else { return 0 }
            return Int(text.dropFirst(9).prefix(3)) ?? 0
        }
    }

    /// Sends `request` exactly as given, then reads until the server closes the
    /// connection or `timeout` seconds pass without it doing so.
    public func exchange(_ request: String, timeout: Double = 10) async -> Exchange {
        await exchange(Array(request.utf8), timeout: timeout)
    }

    public func exchange(_ request: [UInt8], timeout: Double = 10) async -> Exchange {
        let port = port
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Self.blockingExchange(request, port: port, timeout: timeout))
            }
        }
    }

    private static func blockingExchange(_ request: [UInt8], port: Int, timeout: Double) -> Exchange {
        let started = Date()
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return Exchange(bytes: [], closedByServer: true, seconds: 0) }
        var wait = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        if !request.isEmpty { _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, request.count, Int32(MSG_NOSIGNAL)) } }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while Date().timeIntervalSince(started) < timeout {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 {
                received += buffer[0..<count]
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                return Exchange(bytes: received, closedByServer: true, seconds: Date().timeIntervalSince(started))
            }
        }
        return Exchange(bytes: received, closedByServer: false, seconds: Date().timeIntervalSince(started))
    }
}

