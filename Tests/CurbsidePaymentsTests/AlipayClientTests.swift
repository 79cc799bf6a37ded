import AsyncHTTPClient
import Crypto
import CryptoExtras
import CurbsideCore
@testable import CurbsidePayments
import CurbsideSimulation
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// Our application's side of Alipay's open platform against the loopback
/// simulator, over real HTTP: calls signed RSA2 and checked there, answers
/// signed by Alipay's key and checked here.
@Suite("Alipay client", .ownThread)
struct AlipayClientTests {
    static let merchantKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let channels = PaymentChannelSimulator.shared

    static func withSimulator(key: _RSA.Signing.PrivateKey = merchantKey, _ body: (AlipaySimulator, AlipayClient) async throws -> Void) async throws {
        let simulator = try await AlipaySimulator(channels: channels, merchantKey: merchantKey.publicKey)
        let client = AlipayClient(
            gatewayURL: simulator.gatewayURL, merchant: AlipayMerchant(appID: channels.alipayAppID, privateKey: key),
            alipay: Alipay(alipayKey: channels.alipayKey.publicKey, appID: channels.alipayAppID), http: .shared, timeout: Loopback.deadline
        )
        do {
            try await body(simulator, client)
        } catch {
            try await simulator.stop()
            throw error
        }
        try await simulator.stop()
    }

    static func order(_ number: String, fen: Int = 1_250) -> AlipayOrder {
        AlipayOrder(outTradeNo: number, subject: "路侧停车 \(number)", amountFen: fen, notifyURL: "http://127.0.0.1:9/notify/alipay", expiresAt: Date().addingTimeInterval(1_800))
    }

    @Test("Precreate answers a QR code; a wap pay URL opens Alipay's page for the trade")
    func openTrades() async throws {
        try await Self.withSimulator { simulator, client in
            #expect(try await client.precreate(Self.order("PAY-A1")) == "https://qr.alipay.com/bax0PAY-A1")
            let url = try client.wapPayURL(Self.order("PAY-A2", fen: 300), quitURL: "https://pay.example.cn/p/abc")
            #expect(url.hasPrefix(simulator.gatewayURL + "?") && url.contains("method=alipay.trade.wap.pay"))
            let page = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: Loopback.deadline)
            #expect(page.status == .ok)
            #expect(simulator.trade("PAY-A2")?.amountFen == 300 && simulator.trade("PAY-A2")?.method == "alipay.trade.wap.pay")
            #expect(simulator.refusedRequests == 0)
        }
    }

    @Test("A call signed with a key Alipay does not hold for us is refused as an invalid signature")
    func wrongKey() async throws {
        try await Self.withSimulator(key: try _RSA.Signing.PrivateKey(keySize: .bits2048)) { simulator, client in
            await #expect(throws: AlipayError.refused(code: "40002", subCode: "isv.invalid-signature", message: "验签出错")) {
                try await client.precreate(Self.order("PAY-AX"))
            }
            #expect(simulator.refusedRequests == 1 && simulator.trade("PAY-AX") == nil)
        }
    }

    @Test("An answer not signed with Alipay's key is not believed")
    func forgedAnswer() async throws {
        try await Self.withSimulator { simulator, client in
            simulator.answerSigner = Self.channels.forgerKey
            await #expect(throws: AlipayError.unverifiedAnswer) { try await client.precreate(Self.order("PAY-AF")) }
            await #expect(throws: AlipayError.unverifiedAnswer) { try await client.query(outTradeNo: "PAY-AF") }
        }
    }

    @Test("A trade queried before and after it is paid; a paid trade cannot close, an unpaid one can")
    func queryAndClose() async throws {
        try await Self.withSimulator { simulator, client in
            _ = try await client.precreate(Self.order("PAY-AQ", fen: 600))
            #expect(try await client.query(outTradeNo: "PAY-AQ") == AlipayTrade(outTradeNo: "PAY-AQ", status: .waiting, tradeNo: nil, amountFen: 600))
            simulator.losesNotifications = true
            let number = try await simulator.pay("PAY-AQ")
            #expect(try await client.query(outTradeNo: "PAY-AQ") == AlipayTrade(outTradeNo: "PAY-AQ", status: .success, tradeNo: number, amountFen: 600))
            await #expect(throws: AlipayError.refused(code: "40004", subCode: "ACQ.TRADE_STATUS_ERROR", message: "ACQ.TRADE_STATUS_ERROR")) {
                try await client.close(outTradeNo: "PAY-AQ")
            }
            _ = try await client.precreate(Self.order("PAY-AC"))
            try await client.close(outTradeNo: "PAY-AC")
            #expect(try await client.query(outTradeNo: "PAY-AC").status == .closed)
            await #expect(throws: AlipayError.refused(code: "40004", subCode: "ACQ.TRADE_NOT_EXIST", message: "交易不存在")) {
                try await client.query(outTradeNo: "PAY-NONE")
            }
        }
    }

    @Test("The signed member is cut from the answer as written, braces and quotes inside strings included")
    func signedMember() {
        let text = #"{"alipay_trade_query_response":{"code":"10000","msg":"a \"}{\" b","nested":{"x":1}},"sign":"abc"}"#
        #expect(AlipayAnswer.member("alipay_trade_query_response", of: text) == #"{"code":"10000","msg":"a \"}{\" b","nested":{"x":1}}"#)
        #expect(AlipayAnswer.member("error_response", of: text) == nil)
    }

    @Test("The call's signature verifies with OpenSSL, an implementation not ours")
    func opensslVerifies() throws {
        let merchant = AlipayMerchant(appID: "2021000000000001", privateKey: Self.merchantKey)
        let parameters = try merchant.signedParameters(
            method: "alipay.trade.query", bizContent: #"{"out_trade_no":"PAY-1"}"#, at: Date(timeIntervalSince1970: 1_780_000_000)
        )
        #expect(parameters["timestamp"] == "2026-05-29 04:26:40")
        let canonical = "app_id=2021000000000001&biz_content={\"out_trade_no\":\"PAY-1\"}&charset=utf-8&format=JSON&method=alipay.trade.query"
            + "&sign_type=RSA2&timestamp=2026-05-29 04:26:40&version=1.0"
        let check = try OpenSSL.verify(try #require(parameters["sign"].flatMap { Data(base64Encoded: $0) }), over: Data(canonical.utf8), key: Self.merchantKey.publicKey)
        #expect(check.verified, "\(check.said)")
    }
}
