import Crypto
import CryptoExtras
import CurbsideStoreTestSupport
import Foundation

/// OpenSSL's command, an implementation of SHA256-RSA that is not ours.
enum OpenSSL {
    /// What `openssl dgst -sha256 -verify` says of `signature` over `message` under `key`.
    static func verify(_ signature: Data, over message: Data, key: _RSA.Signing.PublicKey) throws -> (verified: Bool, said: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-openssl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pem = directory.appendingPathComponent("key.pem"), signed = directory.appendingPathComponent("signature.bin")
        let text = directory.appendingPathComponent("message.bin")
        try key.pemRepresentation.write(to: pem, atomically: true, encoding: .utf8)
        try signature.write(to: signed)
        try message.write(to: text)
        // Its answer goes to a file (ChildProcess), not a pipe that another child could hold open.
        let openssl = try ChildProcess("/usr/bin/env", ["openssl", "dgst", "-sha256", "-verify", pem.path, "-signature", signed.path, text.path])
        let status = openssl.waitBlocking()
        let said = openssl.output
        return (status == 0 && said.contains("Verified OK"), said)
    }
}
