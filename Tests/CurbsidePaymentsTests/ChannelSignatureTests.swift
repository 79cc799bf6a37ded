import Crypto
import CryptoExtras
import CurbsideCore
import CurbsidePayments
import CurbsideTestThreads
import Foundation
import Testing

/// Notifications signed the way WeChat Pay and Alipay sign them, with keys
/// made here, checked by the adapters; and altered or forged ones refused.
@Suite("Payment channel notifications", .ownThread)
struct ChannelSignatureTests {
    static let channelKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let forgerKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let apiV3Key = SymmetricKey(data: Data("0123456789abcdef0123456789abcdef".utf8))
    static let now: Int64 = 1_795_192_200

    static func sign(_ message: some DataProtocol, with key: _RSA.Signing.PrivateKey) throws -> String {
        try key.signature(for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5).rawRepresentation.base64EncodedString()
    }

    /// A WeChat Pay v3 notification body with the transaction encrypted under `key`.
    static func weChatBody(total: Int = 1_250, state: String = "SUCCESS", key: SymmetricKey = apiV3Key) throws -> [UInt8] {
        let transaction = """
            {"out_trade_no":"PAY-1","transaction_id":"4200001","trade_state":"\(state)","amount":{"total":\(total),"currency":"CNY"}}
            """
        let nonce = "r4nd0mn0nce1"
        let sealed = try AES.GCM.seal(Data(transaction.utf8), using: key, nonce: try AES.GCM.Nonce(data: Data(nonce.utf8)), authenticating: Data("transaction".utf8))
        let ciphertext = (sealed.ciphertext + sealed.tag).base64EncodedString()
        return Array("""
            {"id":"EV-1","event_type":"TRANSACTION.SUCCESS","resource_type":"encrypt-resource","resource":{"algorithm":"AEAD_AES_256_GCM","ciphertext":"\(ciphertext)","associated_data":"transaction","nonce":"\(nonce)"}}
            """.utf8)
    }

    var weChat: WeChatPayV3 { WeChatPayV3(platformKey: Self.channelKey.publicKey, apiV3Key: Self.apiV3Key) }

    @Test("A signed timestamp at either end of Int64 is stale, not an overflow", arguments: [Int64.min, Int64.max])
    func extremeTimestamps(sent: Int64) throws {
        let body = try Self.weChatBody()
        let signature = try Self.sign(WeChatPayV3.message(timestamp: "\(sent)", nonce: "n1", body: body), with: Self.channelKey)
        #expect(throws: NotificationError.stale) { try weChat.verify(timestamp: "\(sent)", nonce: "n1", signature: signature, body: body, now: Self.now) }
        let acquirer = AcquirerCallback(secret: SymmetricKey(data: Data("acquirer-shared-secret-of-32-bytes!!".utf8)))
        let mac = AcquirerCallback.signature(timestamp: "\(sent)", body: Array("{}".utf8), secret: acquirer.secret)
        #expect(throws: NotificationError.stale) {
            try acquirer.verify(channel: .unionpay, timestamp: "\(sent)", signature: mac, body: Array("{}".utf8), now: Self.now)
        }
    }

    @Test("WeChat Pay: a signed notification is read, amount in fen")
    func weChatValid() throws {
        let body = try Self.weChatBody()
        let signature = try Self.sign(WeChatPayV3.message(timestamp: "\(Self.now)", nonce: "n1", body: body), with: Self.channelKey)
        let notification = try weChat.verify(timestamp: "\(Self.now)", nonce: "n1", signature: signature, body: body, now: Self.now + 10)
        #expect(notification == ChannelNotification(channel: .wechat, paymentID: "PAY-1", transactionID: "4200001", amountFen: 1_250, currency: "CNY", succeeded: true))
    }

    @Test("WeChat Pay: altered body, forged signature, wrong timestamp, stale, or a resource under another key are refused")
    func weChatRefused() throws {
        let body = try Self.weChatBody()
        let timestamp = "\(Self.now)"
        let signature = try Self.sign(WeChatPayV3.message(timestamp: timestamp, nonce: "n1", body: body), with: Self.channelKey)
        let altered = try Self.weChatBody(total: 1)
        #expect(throws: NotificationError.badSignature) { try weChat.verify(timestamp: timestamp, nonce: "n1", signature: signature, body: altered, now: Self.now) }
        let forged = try Self.sign(WeChatPayV3.message(timestamp: timestamp, nonce: "n1", body: body), with: Self.forgerKey)
        #expect(throws: NotificationError.badSignature) { try weChat.verify(timestamp: timestamp, nonce: "n1", signature: forged, body: body, now: Self.now) }
        #expect(throws: NotificationError.badSignature) { try weChat.verify(timestamp: "\(Self.now + 1)", nonce: "n1", signature: signature, body: body, now: Self.now) }
        #expect(throws: NotificationError.stale) { try weChat.verify(timestamp: timestamp, nonce: "n1", signature: signature, body: body, now: Self.now + 301) }

        let otherKey = try Self.weChatBody(key: SymmetricKey(size: .bits256))
        let signedOther = try Self.sign(WeChatPayV3.message(timestamp: timestamp, nonce: "n1", body: otherKey), with: Self.channelKey)
        #expect(throws: NotificationError.malformed("The resource does not decrypt with the API v3 key.")) {
            try weChat.verify(timestamp: timestamp, nonce: "n1", signature: signedOther, body: otherKey, now: Self.now)
        }
    }

    @Test("WeChat Pay: a transaction that did not succeed settles nothing")
    func weChatNotPaid() throws {
        let body = try Self.weChatBody(state: "CLOSED")
        let signature = try Self.sign(WeChatPayV3.message(timestamp: "\(Self.now)", nonce: "n1", body: body), with: Self.channelKey)
        #expect(try weChat.verify(timestamp: "\(Self.now)", nonce: "n1", signature: signature, body: body, now: Self.now).succeeded == false)
    }

    static func alipayForm(amount: String = "12.50", status: String = "TRADE_SUCCESS", app: String = "2021000001", key: _RSA.Signing.PrivateKey = channelKey) throws -> [String: String] {
        var form = [
            "notify_time": "2026-11-21 00:30:00", "notify_type": "trade_status_sync", "notify_id": "ac05099524730693a8b330c5ecf72da9786",
            "app_id": app, "charset": "utf-8", "version": "1.0", "sign_type": "RSA2", "trade_no": "2026112122001", "out_trade_no": "PAY-2",
            "trade_status": status, "total_amount": amount, "buyer_logon_id": "", "subject": "停车费 粤J12345",
        ]
        form["sign"] = try sign(Data(Alipay.canonical(form).utf8), with: key)
        return form
    }

    var alipay: Alipay { Alipay(alipayKey: Self.channelKey.publicKey, appID: "2021000001") }

    @Test("Alipay: the canonical string sorts the parameters and leaves out sign, sign_type and empty ones")
    func alipayCanonical() {
        #expect(Alipay.canonical(["b": "2", "a": "1", "sign": "x", "sign_type": "RSA2", "c": "", "A": "0"]) == "A=0&a=1&b=2")
    }

    @Test("Alipay: a signed notification is read, yuan turned into fen exactly")
    func alipayValid() throws {
        let notification = try alipay.verify(try Self.alipayForm(amount: "12.5"))
        #expect(notification == ChannelNotification(channel: .alipay, paymentID: "PAY-2", transactionID: "2026112122001", amountFen: 1_250, currency: "CNY", succeeded: true))
        #expect(try alipay.verify(try Self.alipayForm(status: "WAIT_BUYER_PAY")).succeeded == false)
    }

    @Test("Alipay: an altered amount, a forged signature, or another application's notification is refused")
    func alipayRefused() throws {
        var altered = try Self.alipayForm()
        altered["total_amount"] = "0.01"
        #expect(throws: NotificationError.badSignature) { try alipay.verify(altered) }
        #expect(throws: NotificationError.badSignature) { try alipay.verify(try Self.alipayForm(key: Self.forgerKey)) }
        #expect(throws: NotificationError.malformed("The notification is for application 2021999999, not ours.")) {
            try alipay.verify(try Self.alipayForm(app: "2021999999"))
        }
        #expect(throws: NotificationError.malformed("total_amount must be yuan with at most two decimals.")) { try alipay.verify(try Self.alipayForm(amount: "12.345")) }
    }
}
