import Crypto
import CryptoExtras
import CurbsideCore
import CurbsidePayments
import Foundation
import Vapor

/// Alipay's open platform gateway on loopback: precreate, wap pay, query
/// and close over real HTTP, each call's RSA2 signature checked with our
/// application's public key, each answer signed with the Alipay key of
/// `channels`, and a payment's notification signed and posted to the
/// trade's notify_url (or lost on purpose).
public final class AlipaySimulator: @unchecked Sendable {
    public struct Trade: Sendable {
        public var outTradeNo: String
        public var method: String
        public var amountFen: Int
        public var notifyURL: String
        public var status: AlipayTrade.Status
        public var tradeNo: String?
    }

    public let channels: PaymentChannelSimulator
    public let merchantKey: _RSA.Signing.PublicKey
    public private(set) var gatewayURL = ""
    /// Answers signed with this key instead of Alipay's, to test that forged answers are refused.
    public var answerSigner: _RSA.Signing.PrivateKey? {
        get { lock.withLock { signer } }
        set { lock.withLock { signer = newValue } }
    }
    public var losesNotifications: Bool {
        get { lock.withLock { losing } }
        set { lock.withLock { losing = newValue } }
    }

    /// Deliver notifications to this `http://host:port` instead of the notify_url's own, keeping its path,
    /// as a proxy in front of the server would.
    public var notifyHost: String? {
        get { loopback.notifyHost }
        set { loopback.notifyHost = newValue }
    }

    private let lock = NSLock()
    private var trades: [String: Trade] = [:]
    private var signer: _RSA.Signing.PrivateKey?
    private var losing = false
    private var refusedSignatures = 0
    private var sequence = 0
    private let loopback: LoopbackChannel

    public init(channels: PaymentChannelSimulator, merchantKey: _RSA.Signing.PublicKey) async throws {
        self.channels = channels
        self.merchantKey = merchantKey
        loopback = try await LoopbackChannel()
        loopback.app.post("gateway.do") { [unowned self] request async throws -> Response in
            let parameters = try request.content.decode([String: String].self, as: .urlEncodedForm)
            return self.handle(parameters)
        }
        loopback.payRoute { [unowned self] number in try await self.pay(number) }
        loopback.app.get("gateway.do") { [unowned self] request async throws -> Response in
            self.handle(try request.query.decode([String: String].self))
        }
        gatewayURL = try await loopback.start() + "/gateway.do"
    }

    public func stop() async throws {
        try await loopback.stop()
    }

    public func trade(_ outTradeNo: String) -> Trade? { lock.withLock { trades[outTradeNo] } }
    public var refusedRequests: Int { lock.withLock { refusedSignatures } }

    /// The payer pays: the trade succeeds and, unless notifications are being lost, its notification is posted.
    @discardableResult
    public func pay(_ outTradeNo: String) async throws -> String {
        let (trade, number, lose): (Trade, String, Bool) = try lock.withLock {
            guard var trade = trades[outTradeNo], trade.status == .waiting else { throw SimulatorError("trade \(outTradeNo) cannot be paid") }
            sequence += 1
            let number = String(format: "2026120222001%015d", sequence)
            trade.status = .success
            trade.tradeNo = number
            trades[outTradeNo] = trade
            return (trade, number, losing)
        }
        guard !lose else { return number }
        let body = try channels.alipay(payment: outTradeNo, transaction: number, yuan: Money.yuan(trade.amountFen))
        try await loopback.notify(trade.notifyURL, contentType: "application/x-www-form-urlencoded; charset=utf-8", body: body)
        return number
    }

    private func handle(_ parameters: [String: String]) -> Response {
        let method = parameters["method"] ?? ""
        guard parameters["sign_type"] == "RSA2", parameters["app_id"] == channels.alipayAppID,
              let signature = parameters["sign"].flatMap({ Data(base64Encoded: $0) }),
              merchantKey.isValidSignature(
                  _RSA.Signing.RSASignature(rawRepresentation: signature),
                  for: SHA256.hash(data: Data(AlipayMerchant.requestCanonical(parameters).utf8)), padding: .insecurePKCS1v1_5
              )
        else {
            lock.withLock { refusedSignatures += 1 }
            return json(#"{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature","sub_msg":"验签出错"}}"#)
        }
        struct Biz: Decodable { var out_trade_no: String; var total_amount: String?; var subject: String? }
        guard let biz = parameters["biz_content"].flatMap({ try? JSONDecoder().decode(Biz.self, from: Data($0.utf8)) }) else {
            return answer(method, #"{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-parameter","sub_msg":"biz_content"}"#)
        }
        switch method {
        case "alipay.trade.precreate", "alipay.trade.wap.pay":
            guard let fen = biz.total_amount.flatMap(Money.fen(fromYuan:)), fen > 0, let notifyURL = parameters["notify_url"] else {
                return answer(method, #"{"code":"40004","msg":"Business Failed","sub_code":"ACQ.INVALID_PARAMETER","sub_msg":"total_amount"}"#)
            }
            let refusal: String? = lock.withLock {
                if let trade = trades[biz.out_trade_no] {
                    guard trade.status == .waiting else { return "ACQ.TRADE_HAS_SUCCESS" }
                    return trade.amountFen == fen ? nil : "ACQ.CONTEXT_INCONSISTENT"
                }
                trades[biz.out_trade_no] = Trade(outTradeNo: biz.out_trade_no, method: method, amountFen: fen, notifyURL: notifyURL, status: .waiting)
                return nil
            }
            if let refusal { return answer(method, #"{"code":"40004","msg":"Business Failed","sub_code":"\#(refusal)","sub_msg":"\#(refusal)"}"#) }
            if method == "alipay.trade.wap.pay" {
                return Response(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(string: "<!doctype html><title>支付宝</title><p>\(biz.out_trade_no)</p>"))
            }
            return answer(method, #"{"code":"10000","msg":"Success","out_trade_no":"\#(biz.out_trade_no)","qr_code":"https://qr.alipay.com/bax0\#(biz.out_trade_no)"}"#)
        case "alipay.trade.query":
            guard let trade = trade(biz.out_trade_no) else {
                return answer(method, #"{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"}"#)
            }
            let number = trade.tradeNo.map { #","trade_no":"\#($0)""# } ?? ""
            return answer(method, #"{"code":"10000","msg":"Success","out_trade_no":"\#(trade.outTradeNo)","trade_status":"\#(trade.status.rawValue)","total_amount":"\#(Money.yuan(trade.amountFen))"\#(number)}"#)
        case "alipay.trade.close":
            let refusal: String? = lock.withLock {
                guard var trade = trades[biz.out_trade_no] else { return "ACQ.TRADE_NOT_EXIST" }
                guard trade.status == .waiting || trade.status == .closed else { return "ACQ.TRADE_STATUS_ERROR" }
                trade.status = .closed
                trades[biz.out_trade_no] = trade
                return nil
            }
            if let refusal { return answer(method, #"{"code":"40004","msg":"Business Failed","sub_code":"\#(refusal)","sub_msg":"\#(refusal)"}"#) }
            return answer(method, #"{"code":"10000","msg":"Success","out_trade_no":"\#(biz.out_trade_no)"}"#)
        default:
            return json(#"{"error_response":{"code":"40004","msg":"Business Failed","sub_code":"isv.invalid-method","sub_msg":"\#(method)"}}"#)
        }
    }

    /// `{"<method>_response":<member>,"sign":"..."}`, the member signed as written.
    private func answer(_ method: String, _ member: String) -> Response {
        let key = answerSigner ?? channels.alipayKey
        let signature = (try? key.signature(for: SHA256.hash(data: Data(member.utf8)), padding: .insecurePKCS1v1_5).rawRepresentation.base64EncodedString()) ?? ""
        return json(#"{"\#(method.replacingOccurrences(of: ".", with: "_"))_response":\#(member),"sign":"\#(signature)"}"#)
    }

    private func json(_ text: String) -> Response {
        Response(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: .init(string: text))
    }
}
