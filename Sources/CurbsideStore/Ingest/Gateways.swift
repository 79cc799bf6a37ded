import Crypto
import FluentKit
import Foundation
import SQLKit

/// A device gateway that may sign its batches instead of sending a token.
public struct Gateway: Sendable {
    public var id: String
    public var name: String
    public var createdAt: Int64
}

/// Gateways and their HMAC secrets.
public struct Gateways: Sendable {
    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    /// Registers a gateway and returns its new secret, shown this once.
    public func create(id: String, name: String, at now: Int64) async throws -> String {
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
        try await store.write(on: database) { db in
            struct Row: Decodable { var id: String }
            let existing = try await db.sql.raw("SELECT id FROM gateways WHERE id = \(bind: id)").first(decoding: Row.self)
            guard existing == nil else { throw GatewayError.exists(id) }
            try await db.sql.raw("""
                INSERT INTO gateways (id, name, secret, created_ms) VALUES (\(bind: id), \(bind: name), \(bind: secret), \(bind: now))
                """).run()
        }
        return secret
    }

    public func list() async throws -> [Gateway] {
        struct Row: Decodable { var id: String; var name: String; var created_ms: Int64 }
        return try await database.sql.raw("SELECT id, name, created_ms FROM gateways ORDER BY id").all(decoding: Row.self)
            .map { Gateway(id: $0.id, name: $0.name, createdAt: $0.created_ms) }
    }

    public func secret(of id: String) async throws -> String? {
        struct Row: Decodable { var secret: String }
        return try await database.sql.raw("SELECT secret FROM gateways WHERE id = \(bind: id)").first(decoding: Row.self)?.secret
    }

    /// HMAC-SHA256 over "timestamp.body" with the gateway's secret, hex-encoded.
    public static func signature(secret: String, timestamp: String, body: [UInt8]) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        var message = Data((timestamp + ".").utf8)
        message.append(contentsOf: body)
        return HMAC<SHA256>.authenticationCode(for: message, using: key).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares in constant time.
    public static func isValid(signature: String, secret: String, timestamp: String, body: [UInt8]) -> Bool {
        let expected = Array(Self.signature(secret: secret, timestamp: timestamp, body: body).utf8)
        let given = Array(signature.lowercased().utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

public enum GatewayError: Error, Equatable {
    case exists(String)
}
