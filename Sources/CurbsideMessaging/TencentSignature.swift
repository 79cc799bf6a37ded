import Crypto
import CurbsideCore
import Foundation

/// Tencent Cloud API 3.0's TC3-HMAC-SHA256 signature of a JSON POST: the
/// canonical request (method, path, query, the signed headers content-type
/// and host, the body's SHA-256), hashed into the string to sign under the
/// day's credential scope, signed with a key derived from the secret by the
/// day, the service and "tc3_request".
public enum TencentSignature {
    public static let algorithm = "TC3-HMAC-SHA256"
    public static let contentType = "application/json; charset=utf-8"

    /// `contentType` is the header as sent: our client sends `contentType`; Tencent's SDKs send plain `application/json`.
    public static func canonicalRequest(host: String, body: [UInt8], contentType: String = contentType) -> String {
        "POST\n/\n\ncontent-type:\(contentType)\nhost:\(host)\n\ncontent-type;host\n\(hex(SHA256.hash(data: body)))"
    }

    /// The UTC day of `timestamp`, as the credential scope names it.
    public static func day(_ timestamp: Int64) -> String {
        LocalDate(dayNumber: Int(timestamp.quotientAndRemainder(dividingBy: 86_400).quotient - (timestamp < 0 && timestamp % 86_400 != 0 ? 1 : 0))).description
    }

    public static func stringToSign(host: String, body: [UInt8], contentType: String = contentType, timestamp: Int64, service: String) -> String {
        let canonical = canonicalRequest(host: host, body: body, contentType: contentType)
        return "\(algorithm)\n\(timestamp)\n\(day(timestamp))/\(service)/tc3_request\n\(hex(SHA256.hash(data: Data(canonical.utf8))))"
    }

    public static func signature(host: String, body: [UInt8], contentType: String = contentType, timestamp: Int64, service: String, secretKey: String) -> String {
        func mac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)))
        }
        let signing = mac(mac(mac(SymmetricKey(data: Data(("TC3" + secretKey).utf8)), day(timestamp)), service), "tc3_request")
        let text = stringToSign(host: host, body: body, contentType: contentType, timestamp: timestamp, service: service)
        return hex(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: signing))
    }

    /// The Authorization header.
    public static func authorization(
        secretID: String, host: String, body: [UInt8], contentType: String = contentType, timestamp: Int64, service: String, secretKey: String
    ) -> String {
        "\(algorithm) Credential=\(secretID)/\(day(timestamp))/\(service)/tc3_request, SignedHeaders=content-type;host, "
            + "Signature=\(signature(host: host, body: body, contentType: contentType, timestamp: timestamp, service: service, secretKey: secretKey))"
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
