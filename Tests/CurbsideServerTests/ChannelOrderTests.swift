import Crypto
import CryptoExtras
import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import CurbsideStore
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import SQLKit
import Testing

/// Payments whose orders Curbside places with WeChat Pay and Alipay itself,
/// over real HTTP to the loopback simulators of both: the order placed with
/// the bill's amount, paid by the (simulated) payer, notified back, settled.
@Suite("Orders placed with the channels", .ownThread)
struct ChannelOrderTests {
    static let channels = PaymentChannelSimulator.shared
    static let wechatKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let alipayKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

    /// Both simulators on the test's clock, and an app configured to place orders with them.
    static func withChannels(
        _ kind: StoreKind, wechatURL: String? = nil, clock: TestClock? = nil, configure: @escaping @Sendable (inout CurbsideConfiguration) -> Void = { _ in },
        _ body: (TestApp, WeChatPaySimulator, AlipaySimulator) async throws -> Void
    ) async throws {
        let clock = try clock ?? TestClock(try Date(rfc3339: "2026-11-20T12:00:00Z"))
        let wechat = try await WeChatPaySimulator(
            channels: channels, merchantKey: wechatKey.publicKey, merchantID: "1900009191", serialNumber: "SERIAL-1", clock: { clock.now }
        )
        let alipay = try await AlipaySimulator(channels: channels, merchantKey: alipayKey.publicKey, clock: { clock.now })
        do {
            try await withTestApp(kind, clock: clock, configure: { configuration in
                configuration.backgroundJobs = false
                configuration.channels = channels.settings
                configuration.channels.wechatMerchant = WeChatMerchantSettings(
                    // WeChat Pay hands merchants their key as PKCS #8 (apiclient_key.pem); Alipay's tool writes PKCS #1 too: both are read.
                    merchantID: "1900009191", appID: "wxd678efh567hg6787", serialNumber: "SERIAL-1", privateKeyPEM: wechatKey.pkcs8PEMRepresentation,
                    apiURL: wechatURL ?? wechat.baseURL
                )
                configuration.channels.alipayAppKeyPEM = alipayKey.pemRepresentation
                configuration.channels.alipayGatewayURL = alipay.gatewayURL
                configuration.notices = .directory(NSTemporaryDirectory() + "curbside-orders-\(UUID().uuidString)")
                configure(&configuration)
            }) { app in
                wechat.notifyHost = app.baseURL
                alipay.notifyHost = app.baseURL
                try await body(app, wechat, alipay)
            }
        } catch {
            try await wechat.stop()
            try await alipay.stop()
            throw error
        }
        try await wechat.stop()
        try await alipay.stop()
    }

    @Test("Two bills paid by QR code, one through each channel: order placed for the amount due, paid, notified, settled", arguments: StoreKind.testCases)
    func payByQR(kind: StoreKind) async throws {
        try await Self.withChannels(kind) { app, wechat, alipay in
            let bills = try await PaymentRulesTests.billed(app)
            let first = try #require(bills["粤J5K321"]), second = try #require(bills["粤J33333"])

            let byWeChat = try await app.client().createPayment(body: .json(.init(channel: .wechat, bills: [first.number], scene: .qr))).created.body.json
            #expect(byWeChat.payWith?.qrCode == "weixin://wxpay/bizpayurl?pr=\(byWeChat.id)" && byWeChat.status == .pending)
            #expect(wechat.order(byWeChat.id)?.amountFen == first.fen && wechat.order(byWeChat.id)?.kind == "native")
            let wechatTransaction = try await wechat.pay(byWeChat.id)

            let byAlipay = try await app.client().createPayment(body: .json(.init(channel: .alipay, bills: [second.number], scene: .qr))).created.body.json
            #expect(byAlipay.payWith?.qrCode == "https://qr.alipay.com/bax0\(byAlipay.id)")
            #expect(alipay.trade(byAlipay.id)?.amountFen == second.fen)
            let alipayTrade = try await alipay.pay(byAlipay.id)

            let paidByWeChat = try await app.client().getPayment(path: .init(paymentId: byWeChat.id)).ok.body.json
            #expect(paidByWeChat.status == .paid && paidByWeChat.transactionId == wechatTransaction)
            let paidByAlipay = try await app.client().getPayment(path: .init(paymentId: byAlipay.id)).ok.body.json
            #expect(paidByAlipay.status == .paid && paidByAlipay.transactionId == alipayTrade)
            let finance = try await app.client(as: .finance)
            #expect(try await finance.getBill(path: .init(number: first.number)).ok.body.json.value1.outstandingFen == 0)
            #expect(try await finance.getBill(path: .init(number: second.number)).ok.body.json.value1.outstandingFen == 0)
        }
    }

    @Test("Notifications the channels send twice settle each payment once: the second is recorded as a duplicate", arguments: StoreKind.testCases)
    func repeatedNotifications(kind: StoreKind) async throws {
        try await Self.withChannels(kind) { app, wechat, alipay in
            let bills = try await PaymentRulesTests.billed(app)
            wechat.repeatsNotifications = true
            alipay.repeatsNotifications = true
            for (bill, channel) in [(try #require(bills["粤J5K321"]), Components.Schemas.PaymentChannel.wechat), (try #require(bills["粤J33333"]), .alipay)] {
                let payment = try await app.client().createPayment(body: .json(.init(channel: channel, bills: [bill.number], scene: .qr))).created.body.json
                _ = channel == .wechat ? try await wechat.pay(payment.id) : try await alipay.pay(payment.id)
                #expect(try await ChannelFollowUpTests.notifications(app, payment.id) == ["settled", "duplicate"], "\(channel)")
                let detail = try await app.billDetail(bill.number)
                #expect(detail.value1.outstandingFen == 0 && detail.value2.ledger.filter { $0.kind == .received }.map(\.amountFen) == [bill.fen])
            }
        }
    }

    @Test("Inside WeChat the page gets signed JSAPI parameters; in a phone's browser an H5 or wap page to go to", arguments: StoreKind.testCases)
    func otherScenes(kind: StoreKind) async throws {
        try await Self.withChannels(kind) { app, wechat, alipay in
            let bills = try await PaymentRulesTests.billed(app)
            let first = try #require(bills["粤J5K321"])
            let client = try await app.client()

            let inApp = try await client.createPayment(body: .json(.init(channel: .wechat, bills: [first.number], scene: .inApp, openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")))
                .created.body.json
            let jsapi = try #require(inApp.payWith?.jsapi)
            #expect(jsapi.appId == "wxd678efh567hg6787" && jsapi.package == "prepay_id=wx\(inApp.id)" && jsapi.signType == "RSA")
            let message = Array("\(jsapi.appId)\n\(jsapi.timeStamp)\n\(jsapi.nonceStr)\n\(jsapi.package)\n".utf8)
            #expect(Self.wechatKey.publicKey.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: try #require(Data(base64Encoded: jsapi.paySign))), for: SHA256.hash(data: message),
                padding: .insecurePKCS1v1_5
            ))
            #expect(wechat.order(inApp.id)?.kind == "jsapi")

            let h5 = try await client.createPayment(body: .json(.init(channel: .wechat, bills: [first.number], scene: .mobileWeb))).created.body.json
            #expect(h5.payWith?.url?.hasPrefix("https://wx.tenpay.com/") == true && wechat.order(h5.id)?.kind == "h5")

            let wap = try await client.createPayment(body: .json(.init(channel: .alipay, bills: [first.number], scene: .mobileWeb))).created.body.json
            let url = try #require(wap.payWith?.url)
            #expect(url.hasPrefix(alipay.gatewayURL + "?") && url.contains("method=alipay.trade.wap.pay"))

            let noOpenID = try await client.createPayment(body: .json(.init(channel: .wechat, bills: [first.number], scene: .inApp)))
            #expect(try noOpenID.unprocessableContent.body.json.code == "missing_field")
        }
    }

    @Test("A channel that does not answer: 502 channel_unavailable, the payment left pending; without merchant keys a scene is refused", arguments: StoreKind.testCases)
    func unavailable(kind: StoreKind) async throws {
        try await Self.withChannels(kind, wechatURL: "http://127.0.0.1:9") { app, _, _ in
            let bills = try await PaymentRulesTests.billed(app)
            let first = try #require(bills["粤J5K321"])
            let down = try await app.client().createPayment(body: .json(.init(channel: .wechat, bills: [first.number], scene: .qr)))
            let refusal = try down.badGateway.body.json
            #expect(refusal.code == "channel_unavailable" && !refusal.message.contains("127.0.0.1"), "\(refusal.message)")
            // The payment made for the order is left pending, holding no money, to expire; the bill still owes all of it.
            struct Row: Decodable { var status: String; var channel: String }
            let rows = try await app.database.sql.raw("SELECT status, channel FROM payments").all(decoding: Row.self)
            #expect(rows.map { "\($0.channel) \($0.status)" } == ["wechat pending"])
            #expect(try await app.client(as: .finance).getBill(path: .init(number: first.number)).ok.body.json.value1.outstandingFen == first.fen)
            let acquirer = try await app.client().createPayment(body: .json(.init(channel: .unionpay, bills: [first.number], scene: .qr)))
            #expect(try acquirer.unprocessableContent.body.json.code == "channel_not_configured")
        }
    }
}
