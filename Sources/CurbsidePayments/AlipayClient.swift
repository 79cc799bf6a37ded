import AsyncHTTPClient
import CurbsideCore
import Foundation
import NIOCore

/// Calls Alipay's open platform gateway as our application: each call's
/// parameters signed RSA2 with our key, each answer's `<method>_response`
/// checked against Alipay's public key before it is believed. The gateway
/// URL is configuration, so a deployment can use Alipay's sandbox or the
/// local simulator.
public struct AlipayClient: Sendable {
    public let gatewayURL: String
    public let merchant: AlipayMerchant
    /// Alipay's public key, which also checks its notifications.
    public let alipay: Alipay
    let http: HTTPClient
    /// How long a call may take, connecting included, before it is given up as unanswered.
    let timeout: TimeAmount
    let clock: @Sendable () -> Date

    public init(
        gatewayURL: String, merchant: AlipayMerchant, alipay: Alipay, http: HTTPClient, timeout: TimeAmount = .seconds(10),
        clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.gatewayURL = gatewayURL
        self.merchant = merchant
        self.alipay = alipay
        self.http = http
        self.timeout = timeout
        self.clock = clock
    }

    /// 当面付 precreate: a QR code the payer scans with Alipay.
    public func precreate(_ order: AlipayOrder) async throws(AlipayError) -> String {
        struct Answer: Decodable { var qr_code: String?; var out_trade_no: String? }
        let answer: Answer = try await call("alipay.trade.precreate", biz: order.biz(), notifyURL: order.notifyURL)
        guard let code = answer.qr_code else { throw .malformedAnswer("no qr_code in the precreate answer") }
        return code
    }

    /// 手机网站支付 wap pay: a page of Alipay's that the phone's browser is sent to; no call is made here,
    /// the signed parameters travel in the URL.
    public func wapPayURL(_ order: AlipayOrder, quitURL: String, returnURL: String? = nil) throws(AlipayError) -> String {
        var biz = order.biz()
        biz["product_code"] = "QUICK_WAP_WAY"
        biz["quit_url"] = quitURL
        var extra: [String: String] = [:]
        if let returnURL { extra["return_url"] = returnURL }
        let parameters = try signed("alipay.trade.wap.pay", biz: biz, notifyURL: order.notifyURL, extra: extra)
        return gatewayURL + "?" + AlipayMerchant.form(parameters)
    }

    /// The trade as Alipay has it now, by our out_trade_no.
    public func query(outTradeNo: String) async throws(AlipayError) -> AlipayTrade {
        struct Answer: Decodable { var out_trade_no: String?; var trade_no: String?; var trade_status: String?; var total_amount: String? }
        let answer: Answer = try await call("alipay.trade.query", biz: ["out_trade_no": outTradeNo], notifyURL: nil)
        guard answer.out_trade_no == outTradeNo else { throw .malformedAnswer("the answer is about trade \(answer.out_trade_no ?? "?"), not \(outTradeNo)") }
        guard let status = answer.trade_status.flatMap(AlipayTrade.Status.init(rawValue:)) else {
            throw .malformedAnswer("unknown trade_status \(answer.trade_status ?? "(none)")")
        }
        return AlipayTrade(outTradeNo: outTradeNo, status: status, tradeNo: answer.trade_no, amountFen: answer.total_amount.flatMap(Money.fen(fromYuan:)))
    }

    /// Closes a trade the payer has not paid.
    public func close(outTradeNo: String) async throws(AlipayError) {
        struct Answer: Decodable { var out_trade_no: String? }
        let _: Answer = try await call("alipay.trade.close", biz: ["out_trade_no": outTradeNo], notifyURL: nil)
    }

    /// Pays part or all of a trade back (alipay.trade.refund) under our refund id, `out_request_no`; asking
    /// again with the same id is the same refund. Alipay refunds at once: success is its 10000 answer.
    public func refund(outTradeNo: String, outRequestNo: String, fen: Int, reason: String) async throws(AlipayError) -> ChannelRefundReport {
        struct Answer: Decodable { var out_trade_no: String?; var trade_no: String? }
        let answer: Answer = try await call("alipay.trade.refund", biz: [
            "out_trade_no": outTradeNo, "out_request_no": outRequestNo, "refund_amount": Money.yuan(fen), "refund_reason": reason,
        ], notifyURL: nil)
        guard answer.out_trade_no == outTradeNo else { throw .malformedAnswer("the answer is about trade \(answer.out_trade_no ?? "?"), not \(outTradeNo)") }
        return ChannelRefundReport(refundID: outRequestNo, channelRefundID: answer.trade_no.map { "\($0)/\(outRequestNo)" }, state: .succeeded)
    }

    /// The day's statement of trades: the download URL from alipay.data.dataservice.bill.downloadurl.query,
    /// then the file there, a zip of GBK CSV files of which the details (`…_业务明细.csv`) are read; nil when
    /// Alipay has none because nothing was traded that day.
    public func tradeBill(day: String) async throws(AlipayError) -> String? {
        struct Answer: Decodable { var bill_download_url: String? }
        let answer: Answer
        do {
            answer = try await call("alipay.data.dataservice.bill.downloadurl.query", biz: ["bill_type": "trade", "bill_date": day], notifyURL: nil)
        } catch {
            if error.subCode == "isp.bill_not_exist" { return nil }
            throw error
        }
        // The URL comes in a signed answer and carries its own short-lived token; the file is not signed.
        guard let url = answer.bill_download_url, url.hasPrefix("https://") || url.hasPrefix("http://") else {
            throw .malformedAnswer("no bill_download_url in the answer")
        }
        let zip: [UInt8]
        do {
            let response = try await http.execute(HTTPClientRequest(url: url), timeout: timeout)
            guard response.status == .ok else { throw AlipayError.refused(code: "HTTP_\(response.status.code)", subCode: "", message: "the statement could not be downloaded") }
            zip = Array(buffer: try await response.body.collect(upTo: Self.statementLimit))
        } catch let error as AlipayError {
            throw error
        } catch {
            throw .unreachable(String(describing: error))
        }
        let entries: [ZipArchive.Entry]
        do {
            entries = try ZipArchive(zip).entries
        } catch {
            throw .malformedAnswer("the statement is not a readable zip: \(error)")
        }
        guard let details = entries.first(where: { $0.name.hasSuffix("_业务明细.csv") }) else {
            throw .malformedAnswer("the statement holds no 业务明细 file, only \(entries.map(\.name))")
        }
        guard let text = GB18030.decode(details.data) else { throw .malformedAnswer("\(details.name) is not GBK text") }
        return text
    }

    /// A day's statement may be large; anything larger is not one.
    static let statementLimit = 64 << 20

    func signed(_ method: String, biz: [String: Any], notifyURL: String?, extra: [String: String] = [:]) throws(AlipayError) -> [String: String] {
        do {
            let content = String(decoding: try JSONSerialization.data(withJSONObject: biz, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
            return try merchant.signedParameters(method: method, bizContent: content, notifyURL: notifyURL, extra: extra, at: clock())
        } catch {
            throw .unreachable("the call could not be signed: \(error)")
        }
    }

    func call<T: Decodable>(_ method: String, biz: [String: Any], notifyURL: String?) async throws(AlipayError) -> T {
        let parameters = try signed(method, biz: biz, notifyURL: notifyURL)
        var request = HTTPClientRequest(url: gatewayURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded;charset=utf-8")
        request.body = .bytes(ByteBuffer(string: AlipayMerchant.form(parameters)))
        let text: String
        do {
            let response = try await http.execute(request, timeout: timeout)
            text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        } catch {
            throw .unreachable(String(describing: error))
        }
        // The gateway's own refusals (a bad signature, a bad parameter) come as error_response, not always signed: read, never acted on.
        if let refusal = AlipayAnswer.member("error_response", of: text), let outcome = try? JSONDecoder().decode(Outcome.self, from: Data(refusal.utf8)) {
            throw .refused(code: outcome.code, subCode: outcome.sub_code ?? "", message: outcome.sub_msg ?? outcome.msg ?? "")
        }
        let name = method.replacingOccurrences(of: ".", with: "_") + "_response"
        guard let member = AlipayAnswer.member(name, of: text) else { throw .malformedAnswer("no \(name) in the answer") }
        guard let signature = (try? JSONDecoder().decode(Signature.self, from: Data(text.utf8)))?.sign.flatMap({ Data(base64Encoded: $0) }),
              alipay.isSigned(Data(member.utf8), signature: signature)
        else { throw .unverifiedAnswer }
        guard let outcome = try? JSONDecoder().decode(Outcome.self, from: Data(member.utf8)) else { throw .malformedAnswer("no code in \(name)") }
        guard outcome.code == "10000" else {
            throw .refused(code: outcome.code, subCode: outcome.sub_code ?? "", message: outcome.sub_msg ?? outcome.msg ?? "")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(member.utf8))
        } catch {
            throw .malformedAnswer("\(name) is not what Alipay sends: \(error)")
        }
    }
}

/// What every answer's member says of the call's outcome.
private struct Outcome: Decodable {
    var code: String
    var msg: String?
    var sub_code: String?
    var sub_msg: String?
}

private struct Signature: Decodable {
    var sign: String?
}
