import AsyncHTTPClient
import CurbsideCore
import Foundation
import NIOCore

/// Alibaba Cloud SMS (Dysmsapi 2017-05-25) `SendSms`, an RPC call signed with
/// the AccessKey (`AliyunSignature`). The endpoint is configuration, so a
/// deployment can use another region or the local simulator.
public struct AliyunSMSClient: SMSProvider {
    public let endpoint: String
    let accessKeyID: String
    let accessKeySecret: String
    /// The registered signature (签名) every message goes out under.
    let signName: String
    let http: HTTPClient
    let timeout: TimeAmount
    let clock: @Sendable () -> Date

    public init(
        endpoint: String = "https://dysmsapi.aliyuncs.com", accessKeyID: String, accessKeySecret: String, signName: String, http: HTTPClient,
        timeout: TimeAmount = .seconds(10), clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.accessKeyID = accessKeyID
        self.accessKeySecret = accessKeySecret
        self.signName = signName
        self.http = http
        self.timeout = timeout
        self.clock = clock
    }

    /// Codes that mean "not now" rather than "never": flow control and the provider's own trouble.
    static let retryable: Set<String> = ["isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "Throttling.User", "isp.SYSTEM_ERROR", "ServiceUnavailable"]

    public func send(_ message: SMSMessage) async throws(SMSError) -> SMSAccepted {
        let templateParameters: String
        do {
            let object = Dictionary(message.parameters.map { ($0.name, $0.value) }) { _, last in last }
            templateParameters = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
        } catch {
            throw .malformedAnswer("the template parameters could not be written: \(error)")
        }
        var parameters = [
            "AccessKeyId": accessKeyID, "Action": "SendSms", "Format": "JSON", "RegionId": "cn-hangzhou", "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": UUID().uuidString, "SignatureVersion": "1.0", "Timestamp": Self.timestamp(clock()), "Version": "2017-05-25",
            "PhoneNumbers": message.phone, "SignName": signName, "TemplateCode": message.template, "TemplateParam": templateParameters,
            "OutId": message.reference,
        ]
        parameters["Signature"] = AliyunSignature.signature(method: "POST", parameters: parameters, secret: accessKeySecret)
        var request = HTTPClientRequest(url: endpoint + "/")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: AliyunSignature.canonical(parameters)))
        let answer = try await ProviderCall.send(request, http: http, timeout: timeout)
        struct Answer: Decodable { var Code: String; var Message: String?; var BizId: String? }
        guard let decoded = try? JSONDecoder().decode(Answer.self, from: Data(answer)) else {
            throw .malformedAnswer("not SendSms's JSON: \(String(decoding: answer.prefix(200), as: UTF8.self))")
        }
        guard decoded.Code == "OK", let id = decoded.BizId else {
            // A signature refusal ends with the string the gateway signed, which holds the message's parameters (a
            // payment link's token, a sign-in code): it is cut off, as errors reach the log.
            let message = (decoded.Message ?? "").components(separatedBy: " server string to sign is:")[0]
            throw .refused(code: decoded.Code, message: message, retryable: Self.retryable.contains(decoded.Code))
        }
        return SMSAccepted(providerID: id)
    }

    static let utc = ZoneClock(identifier: "UTC")!

    /// `yyyy-MM-ddTHH:mm:ssZ`, UTC.
    static func timestamp(_ date: Date) -> String {
        String(LocalDateTime.format(date.seconds, in: utc).prefix(19)) + "Z"
    }
}
