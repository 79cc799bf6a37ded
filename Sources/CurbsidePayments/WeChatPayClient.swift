import AsyncHTTPClient
import Crypto
import CurbsideCore
import Foundation
import NIOCore
import NIOHTTP1

/// Calls WeChat Pay API v3 as a merchant: every request signed with the
/// merchant key, every successful answer checked against the platform key
/// before a word of it is believed. `baseURL` is configuration, so a
/// deployment can point at a sandbox or at the local simulator.
public struct WeChatPayClient: Sendable {
    public let baseURL: String
    public let merchant: WeChatPayMerchant
    public let platform: WeChatPayV3
    let http: HTTPClient
    /// How long a call may take, connecting included, before it is given up as unanswered.
    let timeout: TimeAmount
    let clock: @Sendable () -> Date

    public init(
        baseURL: String, merchant: WeChatPayMerchant, platform: WeChatPayV3, http: HTTPClient, timeout: TimeAmount = .seconds(10),
        clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.merchant = merchant
        self.platform = platform
        self.http = http
        self.timeout = timeout
        self.clock = clock
    }

    /// Places an order (统一下单) for the scene the payer is in and returns what the page needs to pay it.
    public func place(_ order: WeChatPayOrder, scene: WeChatPayScene) async throws(WeChatPayError) -> WeChatPayPrepay {
        var body: [String: Any] = [
            "appid": merchant.appID, "mchid": merchant.merchantID, "description": order.description, "out_trade_no": order.outTradeNo,
            "time_expire": ChannelText.rfc3339(order.expiresAt), "notify_url": order.notifyURL, "amount": ["total": order.amountFen, "currency": "CNY"],
        ]
        let path: String
        switch scene {
        case .native:
            path = "/v3/pay/transactions/native"
        case let .jsapi(openID):
            path = "/v3/pay/transactions/jsapi"
            body["payer"] = ["openid": openID]
        case let .h5(payerIP):
            path = "/v3/pay/transactions/h5"
            body["scene_info"] = ["payer_client_ip": payerIP, "h5_info": ["type": "Wap"]]
        }
        let answer = try await send("POST", path, json: body)
        struct Prepay: Decodable { var code_url: String?; var prepay_id: String?; var h5_url: String? }
        let prepay: Prepay = try Self.decode(answer)
        switch scene {
        case .native:
            guard let url = prepay.code_url else { throw .malformedAnswer("no code_url in the Native order's answer") }
            return .native(codeURL: url)
        case .jsapi:
            guard let id = prepay.prepay_id else { throw .malformedAnswer("no prepay_id in the JSAPI order's answer") }
            do {
                return .jsapi(try merchant.jsapiParameters(prepayID: id, timestamp: clock().seconds, nonce: WeChatPayMerchant.nonce()))
            } catch {
                throw .unreachable("the JSAPI parameters could not be signed: \(error)")
            }
        case .h5:
            guard let url = prepay.h5_url else { throw .malformedAnswer("no h5_url in the H5 order's answer") }
            return .h5(url: url)
        }
    }

    /// The order as WeChat Pay has it now (查询订单, by our out_trade_no).
    public func query(outTradeNo: String) async throws(WeChatPayError) -> WeChatPayTrade {
        let answer = try await send("GET", "/v3/pay/transactions/out-trade-no/\(ChannelText.escaped(outTradeNo))?mchid=\(ChannelText.escaped(merchant.merchantID))", json: nil)
        struct Trade: Decodable {
            struct Amount: Decodable { var total: Int?; var currency: String? }
            var out_trade_no: String
            var transaction_id: String?
            var trade_state: String
            var success_time: String?
            var amount: Amount?
        }
        let trade: Trade = try Self.decode(answer)
        guard trade.out_trade_no == outTradeNo else { throw .malformedAnswer("the answer is about order \(trade.out_trade_no), not \(outTradeNo)") }
        guard let state = WeChatPayTrade.State(rawValue: trade.trade_state) else { throw .malformedAnswer("unknown trade_state \(trade.trade_state)") }
        return WeChatPayTrade(
            outTradeNo: trade.out_trade_no, state: state, transactionID: trade.transaction_id, amountFen: trade.amount?.total,
            currency: trade.amount?.currency, successTime: trade.success_time
        )
    }

    /// Closes an unpaid order (关闭订单), so it can no longer be paid.
    public func close(outTradeNo: String) async throws(WeChatPayError) {
        _ = try await send("POST", "/v3/pay/transactions/out-trade-no/\(ChannelText.escaped(outTradeNo))/close", json: ["mchid": merchant.merchantID])
    }

    /// Asks for a refund (申请退款). Asking again with the same out_refund_no is safe: it is the same refund.
    public func refund(_ refund: WeChatPayRefundRequest) async throws(WeChatPayError) -> ChannelRefundReport {
        var body: [String: Any] = [
            "out_trade_no": refund.outTradeNo, "out_refund_no": refund.outRefundNo, "reason": refund.reason,
            "amount": ["refund": refund.refundFen, "total": refund.totalFen, "currency": "CNY"],
        ]
        if let notify = refund.notifyURL { body["notify_url"] = notify }
        return try Self.refundReport(try await send("POST", "/v3/refund/domestic/refunds", json: body), of: refund.outRefundNo)
    }

    /// A refund as WeChat Pay has it now (查询单笔退款, by our out_refund_no).
    public func refund(outRefundNo: String) async throws(WeChatPayError) -> ChannelRefundReport {
        try Self.refundReport(try await send("GET", "/v3/refund/domestic/refunds/\(ChannelText.escaped(outRefundNo))", json: nil), of: outRefundNo)
    }

    static func refundReport(_ answer: [UInt8], of outRefundNo: String) throws(WeChatPayError) -> ChannelRefundReport {
        struct Refund: Decodable { var out_refund_no: String; var refund_id: String?; var status: String }
        let refund: Refund = try decode(answer)
        guard refund.out_refund_no == outRefundNo else { throw .malformedAnswer("the answer is about refund \(refund.out_refund_no), not \(outRefundNo)") }
        guard let status = WeChatPayRefundStatus(rawValue: refund.status) else { throw .malformedAnswer("unknown refund status \(refund.status)") }
        return status.report(refundID: outRefundNo, channelRefundID: refund.refund_id)
    }

    /// The day's statement of successful payments (申请交易账单, then 下载账单), its text checked against the
    /// SHA1 the signed answer gives; nil when WeChat Pay has none because nothing was paid that day. A
    /// statement still being made (STATEMENT_CREATING, before about 10:00 the next day) is a refusal.
    public func tradeBill(day: String) async throws(WeChatPayError) -> String? {
        let answer: [UInt8]
        do {
            answer = try await send("GET", "/v3/bill/tradebill?bill_date=\(ChannelText.escaped(day))&bill_type=SUCCESS", json: nil)
        } catch {
            if error.code == "NO_STATEMENT_EXIST" { return nil }
            throw error
        }
        struct Bill: Decodable { var hash_type: String; var hash_value: String; var download_url: String }
        let bill: Bill = try Self.decode(answer)
        // The file is fetched with a signed request, which only goes where the API is.
        guard bill.hash_type == "SHA1", bill.download_url.hasPrefix(baseURL + "/") else {
            // The URL carries a download token: it is not repeated in the error, which is logged.
            throw .malformedAnswer("the statement is offered by \(bill.hash_type) or elsewhere than the API, not by SHA1 under \(baseURL)")
        }
        // The file itself is not signed: its hash, from the signed answer, vouches for it.
        let (status, _, file) = try await exchange("GET", String(bill.download_url.dropFirst(baseURL.count)), body: nil, limit: Self.statementLimit)
        guard status == 200 else { throw .refused(status: status, code: "HTTP_\(status)", message: "the statement could not be downloaded") }
        let hash = Insecure.SHA1.hash(data: file).map { String(format: "%02x", $0) }.joined()
        guard hash == bill.hash_value.lowercased() else { throw .malformedAnswer("the statement's SHA1 is \(hash), not \(bill.hash_value)") }
        // Statements may begin with a byte order mark.
        return String(decoding: file.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(file.dropFirst(3)) : file, as: UTF8.self)
    }

    /// A day's statement may be large; anything larger is not one.
    static let statementLimit = 64 << 20

    /// Sends a signed request; a 2xx answer is returned only once its signature verifies.
    func send(_ method: String, _ url: String, json: [String: Any]?) async throws(WeChatPayError) -> [UInt8] {
        let body: [UInt8]?
        do {
            body = try json.map { Array(try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .withoutEscapingSlashes])) }
        } catch {
            throw .malformedAnswer("the request could not be written: \(error)")
        }
        let (status, headers, answer) = try await exchange(method, url, body: body, limit: 1 << 20)
        guard (200..<300).contains(status) else {
            // Refusals are not signed by every endpoint; they are read, never acted on as success.
            struct Refusal: Decodable { var code: String; var message: String? }
            let refusal = try? JSONDecoder().decode(Refusal.self, from: Data(answer))
            throw .refused(status: status, code: refusal?.code ?? "HTTP_\(status)", message: refusal?.message ?? "")
        }
        do {
            try platform.verifySignature(
                timestamp: headers.first(name: "Wechatpay-Timestamp") ?? "", nonce: headers.first(name: "Wechatpay-Nonce") ?? "",
                signature: headers.first(name: "Wechatpay-Signature") ?? "", body: answer, now: clock().seconds
            )
        } catch {
            throw .unverifiedAnswer(error)
        }
        return answer
    }

    /// One request signed with the merchant key to `url` (under `baseURL`), and its answer as it came.
    func exchange(_ method: String, _ url: String, body: [UInt8]?, limit: Int) async throws(WeChatPayError) -> (Int, HTTPHeaders, [UInt8]) {
        var request = HTTPClientRequest(url: baseURL + url)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "curbside")
        do {
            request.headers.add(name: "Authorization", value: try merchant.authorization(
                method: method, url: url, body: body ?? [], timestamp: clock().seconds, nonce: WeChatPayMerchant.nonce()
            ))
        } catch {
            throw .unreachable("the request could not be signed: \(error)")
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await http.execute(request, timeout: timeout)
            return (Int(response.status.code), response.headers, Array(buffer: try await response.body.collect(upTo: limit)))
        } catch {
            throw .unreachable(String(describing: error))
        }
    }

    static func decode<T: Decodable>(_ answer: [UInt8]) throws(WeChatPayError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(answer))
        } catch {
            throw .malformedAnswer("the answer is not what WeChat Pay sends: \(error)")
        }
    }
}
