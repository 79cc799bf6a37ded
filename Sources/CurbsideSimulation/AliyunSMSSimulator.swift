import CurbsideMessaging
import Foundation
import Vapor

/// Alibaba Cloud SMS's `SendSms` on loopback: the RPC signature checked with
/// the AccessKey secret, the message kept, answered as Dysmsapi answers;
/// flow control (isv.BUSINESS_LIMIT_CONTROL) and outages on demand; delivery
/// reports pushed as SmsReport's HTTP batch push sends them.
public final class AliyunSMSSimulator: @unchecked Sendable {
    public let accessKeyID: String
    public let accessKeySecret: String
    public private(set) var endpoint = ""
    /// Every message is refused by flow control, as when a phone has had too many today.
    @Locked public var limits = false
    /// The service answers 503 with a gateway's HTML page, as in an outage.
    @Locked public var unavailable = false
    private let reports = SMSReportPush()

    private let lock = NSLock()
    private var messages: [SentSMS] = []
    private var sequence = 0
    private let loopback: LoopbackChannel

    public init(accessKeyID: String = "LTAI5tSimulatedKey", accessKeySecret: String = "simulated-aliyun-access-key-secret") async throws {
        self.accessKeyID = accessKeyID
        self.accessKeySecret = accessKeySecret
        loopback = try await LoopbackChannel()
        // RPC parameters come in the query string, the form, or both (Alibaba Cloud's SDKs put the common ones in the query).
        loopback.app.post { [unowned self] request async throws -> Response in
            let query = (try? request.query.decode([String: String].self)) ?? [:]
            let form = (try? request.content.decode([String: String].self, as: .urlEncodedForm)) ?? [:]
            guard !self.unavailable else { return Response(status: .serviceUnavailable, body: .init(string: "<html><body>503 Service Temporarily Unavailable</body></html>")) }
            return self.answer(form.merging(query) { inForm, _ in inForm })
        }
        endpoint = try await loopback.start()
    }

    public func stop() async throws {
        try await loopback.stop()
    }

    public var sent: [SentSMS] { lock.withLock { messages } }

    /// Where delivery reports are pushed (the console's HTTP batch push URL).
    public var reportURL: String? {
        get { reports.url }
        set { reports.url = newValue }
    }

    /// Phones whose reports say the message did not arrive.
    public var undeliverable: Set<String> {
        get { reports.undeliverable }
        set { reports.undeliverable = newValue }
    }

    /// Pushes the reports of every message sent since the last push; answers the receiver's status and body.
    @discardableResult
    public func pushReports() async throws -> (status: UInt, body: String)? {
        let now = SMSReportPush.chinaTime(Date())
        return try await reports.push { message, delivered in
            [
                "phone_number": message.phone, "send_time": now, "report_time": now, "success": delivered,
                "err_code": delivered ? "DELIVERED" : "MK:0001", "err_msg": delivered ? "用户接收成功" : "用户接收失败", "sms_size": "1",
                "biz_id": message.providerID, "out_id": message.reference,
            ]
        }
    }

    private func answer(_ form: [String: String]) -> Response {
        var parameters = form
        let signature = parameters.removeValue(forKey: "Signature") ?? ""
        // The gateway's own refusals come with their HTTP status; SendSms's business answers (isv.*) come with 200.
        guard parameters["AccessKeyId"] == accessKeyID else {
            return json(#"{"Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found."}"#, status: .notFound)
        }
        guard signature == AliyunSignature.signature(method: "POST", parameters: parameters, secret: accessKeySecret) else {
            // As the gateway does, the message ends with the string it signed, for the caller to compare with its own.
            let signed = AliyunSignature.stringToSign(method: "POST", parameters: parameters)
            return json(#"{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:\#(signed)"}"#, status: .badRequest)
        }
        guard parameters["Action"] == "SendSms", parameters["Version"] == "2017-05-25", let phone = parameters["PhoneNumbers"],
              let template = parameters["TemplateCode"], let sign = parameters["SignName"],
              let values = parameters["TemplateParam"].flatMap({ try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) })
        else { return json(#"{"Code":"isv.INVALID_PARAMETERS","Message":"Parameters are missing or not valid."}"#) }
        guard phone.utf8.count == 11, phone.utf8.allSatisfy({ (48...57).contains($0) }) else { return json(#"{"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":"Illegal mobile number."}"#) }
        guard !limits else { return json(#"{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发号码天级流控Permits:10"}"#) }
        let message: SentSMS = lock.withLock {
            sequence += 1
            let message = SentSMS(
                phone: phone, signName: sign, template: template, parameters: values, reference: parameters["OutId"] ?? "",
                providerID: "\(900_619_746_936_498_440 + sequence)^0"
            )
            messages.append(message)
            return message
        }
        reports.sent(message)
        let id = message.providerID
        return json(#"{"Code":"OK","Message":"OK","BizId":"\#(id)","RequestId":"\#(UUID().uuidString)"}"#)
    }

    private func json(_ text: String, status: HTTPResponseStatus = .ok) -> Response {
        Response(status: status, headers: ["Content-Type": "application/json;charset=utf-8"], body: .init(string: text))
    }
}
