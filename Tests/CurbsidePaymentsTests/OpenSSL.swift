import Crypto
import CryptoExtras
import Foundation

/// OpenSSL's command, an implementation of SHA256-RSA that is not ours.
enum OpenSSL {
    /// What `openssl dgst -sha256 -verify` says of `signature` over `message` under `key`.
    static func verify(_ signature: Data, over message: Data, key: _RSA.Signing.PublicKey) throws -> (verified: Bool, said: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-openssl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try key.pemRepresentation.write(to: directory.appendingPathComponent("key.pem"), atomically: true, encoding: .utf8)
        try signature.write(to: directory.appendingPathComponent("signature.bin"))
        try message.write(to: directory.appendingPathComponent("message.bin"))
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "dgst", "-sha256", "-verify", "key.pem", "-signature", "signature.bin", "message.bin"]
        openssl.currentDirectoryURL = directory
        let output = Pipe()
        openssl.standardOutput = output
        try openssl.run()
        openssl.waitUntilExit()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (openssl.terminationStatus == 0 && said.contains("Verified OK"), said)
    }
}
