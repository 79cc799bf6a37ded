import Crypto
import Foundation

/// The token signing key: the configured secret, or a random key kept in the
/// data directory so that `curbside token` and `curbside serve` agree on a
/// fresh machine without any set-up.
enum SigningKey {
    static func load(configured: String?, dataDirectory: String) throws -> Data {
        if let configured { return Data(configured.utf8) }
        let path = dataDirectory + "/signing.key"
        if let existing = FileManager.default.contents(atPath: path), existing.count >= 32 {
            return existing
        }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: path, contents: key, attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError(variable: "CURBSIDE_DATA_DIR", reason: "cannot write \(path)")
        }
        return key
    }
}
