import NIOCore
import Vapor

/// Whose address a request counts against. The peer's, unless the peer is
/// a trusted proxy (a load balancer): then the nearest address in
/// X-Forwarded-For that is not itself a trusted proxy. Only the operator's
/// own proxies are believed; anyone else can write any X-Forwarded-For.
struct TrustedProxies: Sendable {
    private let exact: Set<String>
    private let blocks: [(network: UInt32, mask: UInt32)]

    init(_ entries: [String]) {
        var exact: Set<String> = []
        var blocks: [(UInt32, UInt32)] = []
        for entry in entries {
            if let block = Self.block(entry) { blocks.append(block) } else { exact.insert(entry) }
        }
        self.exact = exact
        self.blocks = blocks
    }

    /// An address, or an IPv4 block such as 10.0.0.0/8.
    static func isValid(_ entry: String) -> Bool {
        block(entry) != nil || Self.ipv4(entry) != nil || entry.contains(":")
    }

    func trusts(_ address: String) -> Bool {
        if exact.contains(address) { return true }
        guard let value = Self.ipv4(address) else { return false }
        return blocks.contains { value & $0.mask == $0.network }
    }

    /// The client's address for counting requests.
    func client(of request: Request) -> String {
        let peer = request.remoteAddress?.ipAddress ?? "unknown"
        guard trusts(peer) else { return peer }
        let forwarded = request.headers[.xForwardedFor].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        return forwarded.reversed().first { !trusts($0) } ?? peer
    }

    private static func block(_ entry: String) -> (network: UInt32, mask: UInt32)? {
        let parts = entry.split(separator: "/")
        guard parts.count == 2, let base = ipv4(String(parts[0])), let bits = Int(parts[1]), (0...32).contains(bits) else { return nil }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
        return (base & mask, mask)
    }

    private static func ipv4(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }
}
