import Crypto
import Foundation

/// Alibaba Cloud's RPC request signature (signature version 1.0, HMAC-SHA1):
/// the parameters, each name and value percent-encoded by its rule, sorted by
/// name and joined; "METHOD&%2F&" and that string, encoded again, signed
/// with the AccessKey secret and "&".
public enum AliyunSignature {
    /// RFC 3986 encoding as Alibaba Cloud specifies it: unreserved characters kept, everything else as %XX of UTF-8.
    public static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }

    /// The parameters as signed and sent: `name=value` pairs, encoded, sorted by name.
    public static func canonical(_ parameters: [String: String]) -> String {
        parameters.map { (encode($0.key), encode($0.value)) }.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    public static func stringToSign(method: String, parameters: [String: String]) -> String {
        "\(method)&\(encode("/"))&\(encode(canonical(parameters)))"
    }

    /// Base64 of HMAC-SHA1 over the string to sign, keyed with the secret and "&".
    public static func signature(method: String, parameters: [String: String], secret: String) -> String {
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(stringToSign(method: method, parameters: parameters).utf8), using: SymmetricKey(data: Data((secret + "&").utf8)))
        return Data(mac).base64EncodedString()
    }
}
