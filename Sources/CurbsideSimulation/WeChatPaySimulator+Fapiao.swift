import CurbsidePayments
import Foundation
import Vapor

/// WeChat Pay's e-invoices (电子发票) on the simulator: an application for a
/// payment the simulator took (scene WITH_WECHATPAY, the application its
/// transaction id), answered 202 and issued by the second query; reversals
/// likewise; at most five fapiao per application, as WeChat Pay allows.
extension WeChatPaySimulator {
    func fapiaoRoutes(_ app: Application) {
        let root: [PathComponent] = ["v3", "new-tax-control-fapiao", "fapiao-applications"]
        app.post(root) { [unowned self] request async throws -> Response in
            try await self.slowly { self.issueFapiao(request) }
        }
        app.get(root + [":apply"]) { [unowned self] request async throws -> Response in
            try await self.slowly { self.queryFapiao(request) }
        }
        app.post(root + [":apply", "reverse"]) { [unowned self] request async throws -> Response in
            try await self.slowly { self.reverseFapiao(request) }
        }
    }

    private func unavailable() -> Response? {
        invoicing.isDown ? refuse(.serviceUnavailable, "SYSTEM_ERROR", "系统繁忙，请稍后重试") : nil
    }

    private func issueFapiao(_ request: Request) -> Response {
        if let refusal = checkSignature(request) ?? unavailable() { return refusal }
        struct Body: Decodable {
            struct Buyer: Decodable { var type: String; var name: String; var taxpayer_id: String? }
            struct Item: Decodable { var tax_code: String; var quantity: Int; var total_amount: Int; var discount: Bool }
            struct Fapiao: Decodable { var fapiao_id: String; var total_amount: Int; var items: [Item] }
            var scene: String; var fapiao_apply_id: String; var buyer_information: Buyer; var fapiao_information: [Fapiao]
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(buffer: request.body.data ?? ByteBuffer())), body.scene == "WITH_WECHATPAY",
              body.fapiao_information.count == 1, let fapiao = body.fapiao_information.first, !fapiao.items.isEmpty,
              fapiao.items.allSatisfy({ (1...PaymentChannelSimulator.largestOrderFen).contains($0.total_amount) && $0.tax_code.count == 19 }),
              fapiao.total_amount == fapiao.items.reduce(0, { $0 + $1.total_amount }),
              ["INDIVIDUAL", "ORGANIZATION"].contains(body.buyer_information.type), body.buyer_information.type == "INDIVIDUAL" || body.buyer_information.taxpayer_id != nil
        else { return refuse(.badRequest, "PARAM_ERROR", "参数错误") }
        guard let paid = lock.withLock({ orders.values.first { $0.transactionID == body.fapiao_apply_id && $0.state == .success } }),
              fapiao.total_amount <= paid.amountFen
        else { return refuse(.badRequest, "INVALID_REQUEST", "发票申请单号不是本商户的支付订单，或开票金额超过订单金额") }
        if invoicing.takesBusy() { return refuse(.tooManyRequests, "FREQUENCY_LIMITED", "频率超限") }
        if let id = body.buyer_information.taxpayer_id, invoicing.rejectedTaxpayers.contains(id) {
            return refuse(.badRequest, "INVALID_REQUEST", "购买方纳税人识别号不正确")
        }
        guard invoicing.invoice(fapiao.fapiao_id) != nil || invoicing.count(application: body.fapiao_apply_id) < 5 else {
            return refuse(.badRequest, "INVALID_REQUEST", "同一个开票申请单最多申请5张发票")
        }
        guard invoicing.take(.init(
            id: fapiao.fapiao_id, application: body.fapiao_apply_id, buyerName: body.buyer_information.name,
            taxpayerID: body.buyer_information.taxpayer_id, totalFen: fapiao.total_amount, status: .accepted
        )) != nil else { return refuse(.badRequest, "INVALID_REQUEST", "fapiao_id was used with other parameters.") }
        return signed(.accepted, "")
    }

    private func queryFapiao(_ request: Request) -> Response {
        if let refusal = checkSignature(request) ?? unavailable() { return refusal }
        guard let id = request.query[String.self, at: "fapiao_id"], let invoice = invoicing.invoice(id),
              invoice.application == request.parameters.get("apply"), let found = invoicing.query(id)
        else { return refuse(.notFound, "RESOURCE_NOT_EXISTS", "发票不存在") }
        let status = switch found.status {
        case .accepted: "ISSUE_ACCEPTED"
        case .issued: "ISSUED"
        case .reversing: "REVERSE_ACCEPTED"
        case .reversed: "REVERSED"
        }
        var fapiao: [String: Any] = ["fapiao_id": id, "status": status, "total_amount": found.totalFen]
        if let number = found.number {
            fapiao["blue_fapiao"] = ["fapiao_code": "", "fapiao_number": number, "check_code": String(number.suffix(20)), "fapiao_time": "2026-12-02T12:00:00+08:00"]
        }
        if let red = found.redNumber {
            fapiao["red_fapiao"] = ["fapiao_code": "", "fapiao_number": red, "check_code": String(red.suffix(20)), "fapiao_time": "2026-12-02T12:05:00+08:00"]
        }
        return signed(.ok, Self.json(["total_count": 1, "fapiao_information": [fapiao]]))
    }

    private func reverseFapiao(_ request: Request) -> Response {
        if let refusal = checkSignature(request) ?? unavailable() { return refusal }
        struct Body: Decodable {
            struct Fapiao: Decodable { var fapiao_id: String; var fapiao_code: String; var fapiao_number: String }
            var reverse_reason: String; var fapiao_information: [Fapiao]
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(buffer: request.body.data ?? ByteBuffer())), !body.reverse_reason.isEmpty,
              let fapiao = body.fapiao_information.first, invoicing.invoice(fapiao.fapiao_id)?.application == request.parameters.get("apply")
        else { return refuse(.badRequest, "PARAM_ERROR", "参数错误") }
        guard invoicing.reverse(fapiao.fapiao_id, number: fapiao.fapiao_number) != nil else {
            return refuse(.badRequest, "INVALID_REQUEST", "发票状态不允许冲红")
        }
        return signed(.accepted, "")
    }
}
