import AsyncHTTPClient
import CurbsideCore
import Foundation
import NIOCore

/// Tencent Cloud SMS (API 3.0, version 2021-01-11) `SendSms`, a JSON POST
/// signed TC3-HMAC-SHA256 (`TencentSignature`). The endpoint is
/// configuration, so a deployment can use the local simulator.
public struct TencentSMSClient: SMSProvider {
    public let endpoint: String
    let secretID: String
    let secretKey: String
    /// The SMS application (SmsSdkAppId) and registered signature (SignName).
    let appID: String
    let signName: String
    let region: String
    let http: HTTPClient
    let timeout: TimeAmount
    let clock: @Sendable () -> Date

    public init(
        endpoint: String = "https://sms.tencentcloudapi.com", secretID: String, secretKey: String, appID: String, signName: String,
        region: String = "ap-guangzhou", http: HTTPClient, timeout: TimeAmount = .seconds(10), clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.secretID = secretID
        self.secretKey = secretKey
        self.appID = appID
        self.signName = signName
        self.region = region
        self.http = http
        self.timeout = timeout
        self.clock = clock
    }

    /// Codes that mean "not now": frequency limits and the provider's own trouble.
    static func isRetryable(_ code: String) -> Bool {
        code.hasPrefix("LimitExceeded") || code.hasPrefix("RequestLimitExceeded") || code.hasPrefix("InternalError") || code == "FailedOperation.InsufficientBalanceInSmsPackage"
    }

    public func send(_ message: SMSMessage) async throws(SMSError) -> SMSAccepted {
        let body: [UInt8]
        do {
            body = Array(try JSONSerialization.data(withJSONObject: [
                "PhoneNumberSet": ["+86" + message.phone], "SmsSdkAppId": appID, "SignName": signName, "TemplateId": message.template,
                "TemplateParamSet": message.parameters.map(\.value), "SessionContext": message.reference,
            ], options: [.sortedKeys, .withoutEscapingSlashes]))
        } catch {
            throw .malformedAnswer("the request could not be written: \(error)")
        }
        guard let url = URL(string: endpoint), let hostName = url.host else { throw .unreachable("\(endpoint) is not a URL") }
        // The Host header as sent, port included when not the scheme's own.
        let host = url.port.map { "\(hostName):\($0)" } ?? hostName
        let timestamp = clock().seconds
        var request = HTTPClientRequest(url: endpoint + "/")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: TencentSignature.contentType)
        request.headers.add(name: "Host", value: host)
        request.headers.add(name: "X-TC-Action", value: "SendSms")
        request.headers.add(name: "X-TC-Version", value: "2021-01-11")
        request.headers.add(name: "X-TC-Timestamp", value: String(timestamp))
        request.headers.add(name: "X-TC-Region", value: region)
        request.headers.add(name: "Authorization", value: TencentSignature.authorization(
            secretID: secretID, host: host, body: body, timestamp: timestamp, service: "sms", secretKey: secretKey
        ))
        request.body = .bytes(ByteBuffer(bytes: body))
        let answer = try await ProviderCall.send(request, http: http, timeout: timeout)
        struct Answer: Decodable {
            struct Inner: Decodable {
                struct Status: Decodable { var SerialNo: String?; var Code: String; var Message: String? }
                struct Failure: Decodable { var Code: String; var Message: String? }
                var SendStatusSet: [Status]?
                var Error: Failure?
            }
            var Response: Inner
        }
        guard let decoded = try? JSONDecoder().decode(Answer.self, from: Data(answer)) else {
            throw .malformedAnswer("not SendSms's JSON: \(String(decoding: answer.prefix(200), as: UTF8.self))")
        }
        if let failure = decoded.Response.Error {
            throw .refused(code: failure.Code, message: failure.Message ?? "", retryable: Self.isRetryable(failure.Code))
        }
        guard let status = decoded.Response.SendStatusSet?.first else { throw .malformedAnswer("no SendStatusSet") }
        guard status.Code == "Ok", let serial = status.SerialNo else {
            throw .refused(code: status.Code, message: status.Message ?? "", retryable: Self.isRetryable(status.Code))
        }
        return SMSAccepted(providerID: serial)
    }
}
