import Crypto
import FluentKit
import Foundation
import SQLKit

/// Why an image was refused.
public enum EvidenceError: Error, Equatable, Sendable {
    /// The digest is not 64 lower-case hex characters.
    case badDigest
    /// The bytes hash to another digest: corrupted or tampered with.
    case digestMismatch(actual: String)
    /// Neither JPEG nor PNG.
    case notAnImage
}

/// Evidence images: checked against their digest, stored once, read back by staff.
public struct Evidence: Sendable {
    public let store: Store
    public let database: any Database
    public let objects: any EvidenceObjects

    public init(store: Store, database: any Database, objects: any EvidenceObjects) {
        self.store = store
        self.database = database
        self.objects = objects
    }

    public static func isDigest(_ text: String) -> Bool {
        text.count == 64 && text.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    public static func digest(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// The content type of JPEG or PNG bytes, from their magic numbers.
    public static func contentType(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        return nil
    }

    /// Stores an image under its digest. Returns false when it was already stored.
    public func upload(_ bytes: [UInt8], sha256 claimed: String, at now: Int64) async throws -> Bool {
        guard Self.isDigest(claimed) else { throw EvidenceError.badDigest }
        let actual = Self.digest(bytes)
        guard actual == claimed else { throw EvidenceError.digestMismatch(actual: actual) }
        guard let type = Self.contentType(bytes) else { throw EvidenceError.notAnImage }
        try await objects.put(bytes, sha256: actual)
        return try await store.write(on: database) { db in
            struct Row: Decodable { var sha256: String }
            let inserted = try await db.sql.raw("""
                INSERT INTO evidence_images (sha256, bytes, content_type, stored_ms) VALUES (\(bind: actual), \(bind: Int64(bytes.count)), \(bind: type), \(bind: now))
                ON CONFLICT (sha256) DO NOTHING RETURNING sha256
                """).all(decoding: Row.self)
            return !inserted.isEmpty
        }
    }

    public func image(sha256: String) async throws -> (bytes: [UInt8], contentType: String)? {
        guard Self.isDigest(sha256) else { return nil }
        struct Row: Decodable { var content_type: String }
        guard let row = try await database.sql.raw("SELECT content_type FROM evidence_images WHERE sha256 = \(bind: sha256)")
            .first(decoding: Row.self), let bytes = try await objects.get(sha256: sha256)
        else { return nil }
        return (bytes, row.content_type)
    }
}
