import CurbsideAPI
import CurbsideStore
import Logging

/// SMS delivery reports: each is recorded on the notice it names, by the
/// provider's id for the message and our id or the phone; the providers sign
/// neither push, so a report can change nothing but that notice's delivery
/// state. Reports about anything else are acknowledged and passed over, or the
/// provider would push them again.
extension BillingHandler {
    func aliyunSMSReports(_ input: Operations.AliyunSMSReports.Input) async throws -> Operations.AliyunSMSReports.Output {
        guard case let .json(reports) = input.body else { throw APIError.unsupportedBody }
        guard configuration.notices == .aliyun else { throw Self.smsNotConfigured("Alibaba Cloud SMS") }
        let recorded = try await NoticeOutbox(store: store, database: try database).reported(channel: "aliyun", reports.map { report in
            NoticeOutbox.DeliveryReport(
                reference: report.bizId, phone: report.phoneNumber, notice: report.outId.flatMap { $0.hasPrefix("notice-") ? Int($0.dropFirst(7)) : nil },
                delivered: report.success, code: report.errCode ?? (report.success ? "DELIVERED" : "UNKNOWN")
            )
        }, at: now)
        Self.logReports(reports.count, recorded: recorded, provider: "aliyun")
        return .ok(.init(body: .json(.init(code: 0, msg: "接收成功"))))
    }

    func tencentSMSReports(_ input: Operations.TencentSMSReports.Input) async throws -> Operations.TencentSMSReports.Output {
        guard case let .json(reports) = input.body else { throw APIError.unsupportedBody }
        guard configuration.notices == .tencent else { throw Self.smsNotConfigured("Tencent Cloud SMS") }
        let recorded = try await NoticeOutbox(store: store, database: try database).reported(channel: "tencent", reports.map { report in
            // Numbers come as the 11 digits, the country code apart; some accounts report them as +86....
            let delivered = report.reportStatus == "SUCCESS"
            return NoticeOutbox.DeliveryReport(
                reference: report.sid, phone: report.mobile.map { $0.hasPrefix("+86") ? String($0.dropFirst(3)) : $0 }, notice: nil, delivered: delivered,
                code: report.errmsg ?? (delivered ? "DELIVRD" : "UNKNOWN")
            )
        }, at: now)
        Self.logReports(reports.count, recorded: recorded, provider: "tencent")
        return .ok(.init(body: .json(.init(result: 0, errmsg: "OK"))))
    }

    static func smsNotConfigured(_ provider: String) -> APIError {
        APIError(.notFound, BillingErrorCode.channelNotConfigured, "\(provider) is not how this server sends notices.")
    }

    static func logReports(_ count: Int, recorded: Int, provider: String) {
        Logger(label: "curbside.notices").info("delivery reports", metadata: ["provider": "\(provider)", "reports": "\(count)", "recorded": "\(recorded)"])
    }
}
