import CurbsideMessaging
import CurbsidePayments
import Foundation
import Vapor

/// Tencent Cloud SMS's `SendSms` (API 3.0) on loopback: the TC3-HMAC-SHA256
/// signature checked with the SecretKey (and the timestamp within 5
/// minutes), the message kept, answered as the API answers; frequency limits
/// on demand.
public final class TencentSMSSimulator: @unchecked Sendable {
    public let secretID: String
    public let secretKey: String
    public private(set) var endpoint = ""
    /// Every message is refused by the daily limit per phone.
    @Locked public var limits = false
    /// The service answers 503 with a gateway's HTML page, as in an outage.
    @Locked public var unavailable = false
    private let reports = SMSReportPush()
    public let clock: @Sendable () -> Date

    private let lock = NSLock()
    private var messages: [SentSMS] = []
    private var sequence = 0
    private let loopback: LoopbackChannel

    public init(
        secretID: String = "AKIDSimulatedSecretId", secretKey: String = "simulated-tencent-secret-key", clock: @escaping @Sendable () -> Date = Date.init
    ) async throws {
        self.secretID = secretID
        self.secretKey = secretKey
        self.clock = clock
        loopback = try await LoopbackChannel()
        loopback.app.post { [unowned self] request async throws -> Response in
            guard !self.unavailable else { return Response(status: .serviceUnavailable, body: .init(string: "<html><body>503 Service Temporarily Unavailable</body></html>")) }
            return self.answer(request)
        }
        endpoint = try await loopback.start()
    }

    public func stop() async throws {
        try await loopback.stop()
    }

    public var sent: [SentSMS] { lock.withLock { messages } }

    /// Where delivery reports are called back (the console's status callback URL).
    public var reportURL: String? {
        get { reports.url }
        set { reports.url = newValue }
    }

    /// Phones whose reports say the message did not arrive.
    public var undeliverable: Set<String> {
        get { reports.undeliverable }
        set { reports.undeliverable = newValue }
    }

    /// Calls back with the reports of every message sent since the last call; answers the receiver's status and body.
    @discardableResult
    public func pushReports() async throws -> (status: UInt, body: String)? {
        let now = SMSReportPush.chinaTime(clock())
        return try await reports.push { message, delivered in
            [
                "user_receive_time": now, "nationcode": "86", "mobile": message.phone, "report_status": delivered ? "SUCCESS" : "FAIL",
                "errmsg": delivered ? "DELIVRD" : "MK:0001", "description": delivered ? "用户短信送达成功" : "用户短信接收失败", "sid": message.providerID,
            ]
        }
    }

    private func answer(_ request: Request) -> Response {
        let body = request.body.data.map { Array(buffer: $0) } ?? []
        let headers = request.headers
        guard let timestamp = headers.first(name: "X-TC-Timestamp").flatMap(Int64.init), Freshness.within(300, sent: timestamp, now: clock().seconds) else { return failure("AuthFailure.SignatureExpire", "Signature expired.") }
        // The content type and host are checked as signed: they are the signed headers.
        let expected = TencentSignature.authorization(
            secretID: secretID, host: headers.first(name: "Host") ?? "", body: body, contentType: headers.first(name: "Content-Type") ?? "",
            timestamp: timestamp, service: "sms", secretKey: secretKey
        )
        guard headers.first(name: "Authorization") == expected, headers.first(name: "Content-Type")?.hasPrefix("application/json") == true else {
            return failure("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
        }
        struct Body: Decodable {
            var PhoneNumberSet: [String]; var SmsSdkAppId: String; var SignName: String; var TemplateId: String; var TemplateParamSet: [String]?
            var SessionContext: String?
        }
        guard headers.first(name: "X-TC-Action") == "SendSms", headers.first(name: "X-TC-Version") == "2021-01-11",
              let message = try? JSONDecoder().decode(Body.self, from: Data(body)), let number = message.PhoneNumberSet.first
        else { return failure("InvalidParameter", "The parameters are not valid.") }
        guard number.hasPrefix("+86"), number.count == 14 else { return status(number, "InvalidParameterValue.IncorrectPhoneNumber", "incorrect phone number", serial: nil) }
        guard !limits else { return status(number, "LimitExceeded.PhoneNumberDailyLimit", "the number of SMS messages sent from a single mobile number every day exceeds the upper limit", serial: nil) }
        let sent: SentSMS = lock.withLock {
            sequence += 1
            let parameters = Dictionary(uniqueKeysWithValues: (message.TemplateParamSet ?? []).enumerated().map { ("\($0.offset + 1)", $0.element) })
            let sent = SentSMS(
                phone: String(number.dropFirst(3)), signName: message.SignName, template: message.TemplateId, parameters: parameters,
                reference: message.SessionContext ?? "", providerID: "2645:\(104_398_190_916_409_700 + sequence)"
            )
            messages.append(sent)
            return sent
        }
        reports.sent(sent)
        let serial = sent.providerID
        return status(number, "Ok", "send success", serial: serial)
    }

    private func status(_ number: String, _ code: String, _ message: String, serial: String?) -> Response {
        json(#"{"Response":{"SendStatusSet":[{"SerialNo":"\#(serial ?? "")","PhoneNumber":"\#(number)","Fee":\#(serial == nil ? 0 : 1),"SessionContext":"","Code":"\#(code)","Message":"\#(message)","IsoCode":"CN"}],"RequestId":"\#(UUID().uuidString)"}}"#)
    }

    private func failure(_ code: String, _ message: String) -> Response {
        json(#"{"Response":{"Error":{"Code":"\#(code)","Message":"\#(message)"},"RequestId":"\#(UUID().uuidString)"}}"#)
    }

    private func json(_ text: String) -> Response {
        Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: text))
    }
}
