import AsyncHTTPClient
import Crypto
import CryptoExtras
import CurbsideCore
import CurbsidePayments
import CurbsideSimulation
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// The merchant's side of WeChat Pay API v3 against the loopback simulator,
/// over real HTTP: requests signed with the merchant key and checked there,
/// answers signed with the platform key and checked here.
@Suite("WeChat Pay client", .ownThread)
struct WeChatPayClientTests {
    static let merchantKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let channels = PaymentChannelSimulator.shared

    static func merchant(key: _RSA.Signing.PrivateKey = merchantKey) -> WeChatPayMerchant {
        WeChatPayMerchant(merchantID: "1900009191", appID: "wxd678efh567hg6787", serialNumber: "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C", privateKey: key)
    }

    /// Runs `body` with a simulator and a client of it.
    static func withSimulator(key: _RSA.Signing.PrivateKey = merchantKey, _ body: (WeChatPaySimulator, WeChatPayClient) async throws -> Void) async throws {
        let simulator = try await WeChatPaySimulator(
            channels: channels, merchantKey: merchantKey.publicKey, merchantID: "1900009191", serialNumber: "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"
        )
        let platform = WeChatPayV3(platformKey: channels.weChatKey.publicKey, apiV3Key: SymmetricKey(data: Data(channels.apiV3Key.utf8)))
        let client = WeChatPayClient(baseURL: simulator.baseURL, merchant: merchant(key: key), platform: platform, http: .shared, timeout: Loopback.deadline)
        do {
            try await body(simulator, client)
        } catch {
            try await simulator.stop()
            throw error
        }
        try await simulator.stop()
    }

    static func order(_ number: String, fen: Int = 1_250) -> WeChatPayOrder {
        WeChatPayOrder(
            outTradeNo: number, description: "路侧停车 账单 \(number)", amountFen: fen, notifyURL: "http://127.0.0.1:9/notify/wechat",
            expiresAt: Date().addingTimeInterval(1_800)
        )
    }

    @Test("Native, JSAPI and H5 orders: each placed with a signed request and a verified answer")
    func placeOrders() async throws {
        try await Self.withSimulator { simulator, client in
            #expect(try await client.place(Self.order("PAY-N1"), scene: .native) == .native(codeURL: "weixin://wxpay/bizpayurl?pr=PAY-N1"))
            #expect(try await client.place(Self.order("PAY-H1"), scene: .h5(payerIP: "203.0.113.7")) == .h5(
                url: "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wxPAY-H1"
            ))
            guard case let .jsapi(parameters) = try await client.place(Self.order("PAY-J1"), scene: .jsapi(openID: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")) else {
                Issue.record("a JSAPI order answers JSAPI parameters")
                return
            }
            #expect(parameters.appId == "wxd678efh567hg6787" && parameters.package == "prepay_id=wxPAY-J1" && parameters.signType == "RSA")
            // WeChat's page bridge checks paySign with the merchant's public key over these four lines.
            let message = Array("\(parameters.appId)\n\(parameters.timeStamp)\n\(parameters.nonceStr)\n\(parameters.package)\n".utf8)
            let signature = try #require(Data(base64Encoded: parameters.paySign))
            #expect(Self.merchantKey.publicKey.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5
            ))
            #expect(simulator.order("PAY-J1")?.kind == "jsapi" && simulator.order("PAY-J1")?.amountFen == 1_250)
            #expect(simulator.refusedRequests == 0)
        }
    }

    @Test("A request signed with a key WeChat does not hold for the merchant is refused with SIGN_ERROR")
    func wrongMerchantKey() async throws {
        try await Self.withSimulator(key: try _RSA.Signing.PrivateKey(keySize: .bits2048)) { simulator, client in
            await #expect(throws: WeChatPayError.refused(status: 401, code: "SIGN_ERROR", message: "The request's signature does not verify.")) {
                try await client.place(Self.order("PAY-X1"), scene: .native)
            }
            #expect(simulator.refusedRequests == 1 && simulator.order("PAY-X1") == nil)
        }
    }

    @Test("A request whose timestamp is at the end of Int64 is refused, and the simulator keeps serving")
    func hostileTimestamp() async throws {
        try await Self.withSimulator { simulator, client in
            var request = HTTPClientRequest(url: simulator.baseURL + "/v3/pay/transactions/out-trade-no/PAY-1?mchid=1900009191")
            request.headers.add(name: "Authorization", value: try Self.merchant().authorization(
                method: "GET", url: "/v3/pay/transactions/out-trade-no/PAY-1?mchid=1900009191", body: [], timestamp: Int64.min, nonce: "N"
            ))
            // Loopback answers at once; the bound is generous because the suite's first minute keeps every core busy.
            let answer = try await HTTPClient.shared.execute(request, timeout: Loopback.deadline)
            #expect(answer.status == .unauthorized)
            #expect(simulator.refusedRequests == 1)
            _ = try await client.place(Self.order("PAY-T1"), scene: .native)
        }
    }

    @Test("An answer not signed with the platform key is not believed")
    func forgedAnswer() async throws {
        try await Self.withSimulator { simulator, client in
            simulator.answerSigner = Self.channels.forgerKey
            await #expect(throws: WeChatPayError.unverifiedAnswer(.badSignature)) {
                try await client.place(Self.order("PAY-F1"), scene: .native)
            }
            await #expect(throws: WeChatPayError.unverifiedAnswer(.badSignature)) {
                try await client.query(outTradeNo: "PAY-F1")
            }
        }
    }

    @Test("An order queried before and after it is paid; paid orders cannot close, unpaid ones can, and stay closed")
    func queryAndClose() async throws {
        try await Self.withSimulator { simulator, client in
            _ = try await client.place(Self.order("PAY-Q1", fen: 600), scene: .native)
            let unpaid = try await client.query(outTradeNo: "PAY-Q1")
            #expect(unpaid.state == .notPaid && unpaid.transactionID == nil && unpaid.amountFen == 600)

            simulator.losesNotifications = true
            let transaction = try await simulator.pay("PAY-Q1")
            let paid = try await client.query(outTradeNo: "PAY-Q1")
            #expect(paid.state == .success && paid.transactionID == transaction && paid.amountFen == 600 && paid.currency == "CNY")
            await #expect(throws: WeChatPayError.refused(status: 400, code: "ORDERPAID", message: "The order is paid.")) {
                try await client.close(outTradeNo: "PAY-Q1")
            }

            _ = try await client.place(Self.order("PAY-Q2"), scene: .native)
            try await client.close(outTradeNo: "PAY-Q2")
            #expect(try await client.query(outTradeNo: "PAY-Q2").state == .closed)
            await #expect(throws: WeChatPayError.refused(status: 400, code: "ORDER_CLOSED", message: "The order is CLOSED.")) {
                try await client.place(Self.order("PAY-Q2"), scene: .native)
            }
            await #expect(throws: WeChatPayError.refused(status: 404, code: "ORDER_NOT_EXIST", message: "No such order.")) {
                try await client.query(outTradeNo: "PAY-NONE")
            }
        }
    }

    @Test("Refunds: asked for under our id, the same id answered the same, more than was paid (up to the end of Int) refused, then queried")
    func refunds() async throws {
        try await Self.withSimulator { simulator, client in
            _ = try await client.place(Self.order("PAY-R1", fen: 600), scene: .native)
            simulator.losesNotifications = true
            try await simulator.pay("PAY-R1")
            func ask(_ number: String, _ fen: Int) -> WeChatPayRefundRequest {
                WeChatPayRefundRequest(outTradeNo: "PAY-R1", outRefundNo: number, refundFen: fen, totalFen: 600, reason: "test", notifyURL: nil)
            }
            let taken = try await client.refund(ask("RF-1", 200))
            #expect(taken.state == .processing && taken.channelRefundID == simulator.refund("RF-1")?.refundID && taken.channelRefundID != nil)
            #expect(try await client.refund(ask("RF-1", 200)).channelRefundID == taken.channelRefundID)
            for fen in [401, Int.max] {
                await #expect(throws: WeChatPayError.refused(status: 400, code: "INVALID_REQUEST", message: "More than the order's amount.")) {
                    try await client.refund(ask("RF-\(fen)", fen))
                }
            }
            #expect(try await client.refund(outRefundNo: "RF-1") == .init(refundID: "RF-1", channelRefundID: taken.channelRefundID, state: .succeeded))
        }
    }

    @Test("Placing an order again is answered the same; with another amount it is refused")
    func sameOrderAgain() async throws {
        try await Self.withSimulator { _, client in
            let first = try await client.place(Self.order("PAY-R1"), scene: .native)
            #expect(try await client.place(Self.order("PAY-R1"), scene: .native) == first)
            await #expect(throws: WeChatPayError.refused(status: 400, code: "INVALID_REQUEST", message: "out_trade_no was used with other parameters.")) {
                try await client.place(Self.order("PAY-R1", fen: 1), scene: .native)
            }
        }
    }

    @Test("The request signature verifies with OpenSSL, an implementation not ours")
    func opensslVerifies() throws {
        let body = Array(#"{"mchid":"1900009191","out_trade_no":"PAY-1"}"#.utf8)
        let header = try Self.merchant().authorization(
            method: "POST", url: "/v3/pay/transactions/native", body: body, timestamp: 1_780_000_000, nonce: "593BEC0C930BF1AFEB40B4A08C8FB242"
        )
        let signature = try #require(header.split(separator: ",").first { $0.hasPrefix("signature=") }.map { $0.dropFirst(11).dropLast() })
        let message = Data("POST\n/v3/pay/transactions/native\n1780000000\n593BEC0C930BF1AFEB40B4A08C8FB242\n".utf8 + body + "\n".utf8)
        let check = try OpenSSL.verify(try #require(Data(base64Encoded: String(signature))), over: message, key: Self.merchantKey.publicKey)
        #expect(check.verified, "\(check.said)")
        #expect(header.hasPrefix("WECHATPAY2-SHA256-RSA2048 mchid=\"1900009191\",nonce_str=\"593BEC0C930BF1AFEB40B4A08C8FB242\",signature=\""))
        #expect(header.hasSuffix("\",timestamp=\"1780000000\",serial_no=\"1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C\""))
    }
}
