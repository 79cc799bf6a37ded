import AsyncHTTPClient
import CurbsideMessaging
import CurbsideSimulation
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// The SMS providers' request signatures against published and SDK-made
/// vectors, and each client against its provider's simulator over real HTTP.
@Suite("SMS providers", .ownThread)
struct SMSProviderTests {
    @Test("Alibaba Cloud's RPC signature gives the value of its documentation's worked example")
    func aliyunVector() {
        let parameters = [
            "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
        ]
        #expect(AliyunSignature.stringToSign(method: "GET", parameters: parameters).hasPrefix("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions"))
        #expect(AliyunSignature.signature(method: "GET", parameters: parameters, secret: "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")
        // Spaces, asterisks and tildes are where encoders differ: %20, %2A, and ~ kept.
        #expect(AliyunSignature.encode("a b*c~路") == "a%20b%2Ac~%E8%B7%AF")
    }

    @Test("Tencent Cloud's TC3-HMAC-SHA256 gives the signature its Python SDK computes for the same request")
    func tencentVector() {
        let body = Array(#"{"PhoneNumberSet":["+8613800000000"],"SignName":"路侧停车","SmsSdkAppId":"1400000000","TemplateId":"1234567"}"#.utf8)
        #expect(TencentSignature.day(1_551_113_065) == "2019-02-25")
        #expect(TencentSignature.signature(
            host: "sms.tencentcloudapi.com", body: body, timestamp: 1_551_113_065, service: "sms", secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
        ) == "ff96166c721d907bad99a274fcefbbf0483e5565a5d69dcff36ad35cace3e348")
    }

    static let notice = SMSMessage(
        phone: "13800138000", template: "SMS_465800001", parameters: [("plate", "粤J5K321"), ("amount", "12.00"), ("link", "https://pay.example.cn/p/AB12CD34")],
        reference: "notice-42"
    )

    @Test("Alibaba Cloud SMS: a notice sent with its template parameters by name; a wrong secret, a bad number and flow control refused, only flow control to retry")
    func aliyun() async throws {
        let simulator = try await AliyunSMSSimulator()
        defer { Task { try? await simulator.stop() } }
        let client = AliyunSMSClient(endpoint: simulator.endpoint, accessKeyID: simulator.accessKeyID, accessKeySecret: simulator.accessKeySecret, signName: "路侧停车", http: .shared, timeout: Loopback.deadline)
        let accepted = try await client.send(Self.notice)
        #expect(simulator.sent == [SentSMS(
            phone: "13800138000", signName: "路侧停车", template: "SMS_465800001",
            parameters: ["plate": "粤J5K321", "amount": "12.00", "link": "https://pay.example.cn/p/AB12CD34"], reference: "notice-42", providerID: accepted.providerID
        )])
        let forged = AliyunSMSClient(endpoint: simulator.endpoint, accessKeyID: simulator.accessKeyID, accessKeySecret: "another-secret", signName: "路侧停车", http: .shared, timeout: Loopback.deadline)
        let mismatch = await #expect(throws: SMSError.self) { try await forged.send(Self.notice) }
        guard case let .refused(code, message, retryable) = mismatch else { throw mismatch ?? SMSError.malformedAnswer("no error") }
        // The gateway's message ends with the string it signed, parameters and all; what reaches us (and the log) stops before it.
        #expect(code == "SignatureDoesNotMatch" && !retryable && message == "Specified signature is not matched with our calculation.")
        var bad = Self.notice
        bad.phone = "1380013800"
        await #expect(throws: SMSError.refused(code: "isv.MOBILE_NUMBER_ILLEGAL", message: "Illegal mobile number.", retryable: false)) { try await client.send(bad) }
        simulator.limits = true
        let limited = await #expect(throws: SMSError.self) { try await client.send(Self.notice) }
        #expect(limited == .refused(code: "isv.BUSINESS_LIMIT_CONTROL", message: "触发号码天级流控Permits:10", retryable: true))
        #expect(simulator.sent.count == 1)
    }

    @Test("Tencent Cloud SMS: a notice sent with its template parameters in order; a wrong key, a stale clock and the daily limit refused, only the limit to retry")
    func tencent() async throws {
        let simulator = try await TencentSMSSimulator()
        defer { Task { try? await simulator.stop() } }
        func client(key: String = simulator.secretKey, clock: @escaping @Sendable () -> Date = Date.init) -> TencentSMSClient {
            TencentSMSClient(endpoint: simulator.endpoint, secretID: simulator.secretID, secretKey: key, appID: "1400000000", signName: "路侧停车", http: .shared, timeout: Loopback.deadline, clock: clock)
        }
        let accepted = try await client().send(Self.notice)
        #expect(simulator.sent == [SentSMS(
            phone: "13800138000", signName: "路侧停车", template: "SMS_465800001",
            parameters: ["1": "粤J5K321", "2": "12.00", "3": "https://pay.example.cn/p/AB12CD34"], reference: "notice-42", providerID: accepted.providerID
        )])
        await #expect(throws: SMSError.refused(code: "AuthFailure.SignatureFailure", message: "The provided credentials could not be validated.", retryable: false)) {
            try await client(key: "another-key").send(Self.notice)
        }
        await #expect(throws: SMSError.refused(code: "AuthFailure.SignatureExpire", message: "Signature expired.", retryable: false)) {
            try await client(clock: { Date().addingTimeInterval(-600) }).send(Self.notice)
        }
        simulator.limits = true
        let limited = await #expect(throws: SMSError.self) { try await client().send(Self.notice) }
        #expect(limited == .refused(
            code: "LimitExceeded.PhoneNumberDailyLimit", message: "the number of SMS messages sent from a single mobile number every day exceeds the upper limit", retryable: true
        ))
        #expect(simulator.sent.count == 1)
    }
}
