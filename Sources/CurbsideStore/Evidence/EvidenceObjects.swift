import Foundation

/// Where evidence image bytes live, by SHA-256 digest. The file-system store
/// is the default; an object store (S3, OSS) implements the same three calls.
public protocol EvidenceObjects: Sendable {
    /// Stores bytes under their digest; storing the same digest again is harmless.
    func put(_ bytes: [UInt8], sha256: String) async throws
    func get(sha256: String) async throws -> [UInt8]?
    /// Removes the bytes past their retention; removing what is not there is harmless.
    func delete(sha256: String) async throws
}

/// Evidence in a directory tree: ab/cd/abcd... by digest. A file appears only
/// complete (written to a temporary name, synced, then renamed).
public struct FileEvidenceObjects: EvidenceObjects {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    func path(_ sha256: String) -> String {
        "\(directory)/\(sha256.prefix(2))/\(sha256.dropFirst(2).prefix(2))/\(sha256)"
    }

    public func put(_ bytes: [UInt8], sha256: String) async throws {
        let target = path(sha256)
        if FileManager.default.fileExists(atPath: target) { return }
        let folder = URL(fileURLWithPath: target).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = folder + "/.\(sha256).\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw CocoaError(.fileWriteUnknown)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        try handle.synchronize()
        try handle.close()
        if rename(temporary, target) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CocoaError(.fileWriteUnknown)
        }
    }

    public func get(sha256: String) async throws -> [UInt8]? {
        FileManager.default.contents(atPath: path(sha256)).map { [UInt8]($0) }
    }

    public func delete(sha256: String) async throws {
        let target = path(sha256)
        guard FileManager.default.fileExists(atPath: target) else { return }
        try FileManager.default.removeItem(atPath: target)
    }
}
