import Crypto
import CryptoExtras
import Foundation

/// WeChat Pay, Alipay, acquirer and invoicing-platform simulators on loopback with our merchant
/// keys made for the run: what the demo, `curbside simulate channels` and the
/// payments benchmark pay through, with the settings a server needs to place
/// orders with them and believe their answers and notifications.
public struct SimulatedChannels: Sendable {
    public static let merchantID = "1900009191"
    public static let appID = "wxd678efh567hg6787"
    public static let serialNumber = "SIMULATED-MERCHANT-CERT"

    public let channels: PaymentChannelSimulator
    public let wechat: WeChatPaySimulator
    public let alipay: AlipaySimulator
    /// UnionPay, bank cards and ETC.
    public let acquirer: AcquirerSimulator
    /// An invoicing platform (docs/invoicing-platform.md), for invoices of money not paid by WeChat Pay.
    public let invoicing: InvoicePlatformSimulator
    /// Our merchant API key at WeChat Pay, and our application's key at Alipay.
    public let wechatMerchantKey: _RSA.Signing.PrivateKey
    public let alipayAppKey: _RSA.Signing.PrivateKey

    /// Starts both; `clock` is the channels' time, which must be the server's.
    public init(clock: @escaping @Sendable () -> Date = Date.init) async throws {
        channels = try PaymentChannelSimulator()
        wechatMerchantKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        alipayAppKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        wechat = try await WeChatPaySimulator(
            channels: channels, merchantKey: wechatMerchantKey.publicKey, merchantID: Self.merchantID, serialNumber: Self.serialNumber, clock: clock
        )
        alipay = try await AlipaySimulator(channels: channels, merchantKey: alipayAppKey.publicKey, clock: clock)
        acquirer = try await AcquirerSimulator(channels: channels, clock: clock)
        invoicing = try await InvoicePlatformSimulator(clock: clock)
    }

    /// The server's settings for these channels as environment variables, its key files written into `directory`.
    public func environment(writingKeysTo directory: String) throws -> [(String, String)] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws -> String {
            let path = directory + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        return [
            ("CURBSIDE_WECHAT_PLATFORM_KEY", try write("wechat-platform.pem", channels.weChatKey.publicKey.pemRepresentation)),
            ("CURBSIDE_WECHAT_APIV3_KEY", channels.apiV3Key),
            ("CURBSIDE_WECHAT_MCH_ID", Self.merchantID),
            ("CURBSIDE_WECHAT_APP_ID", Self.appID),
            ("CURBSIDE_WECHAT_MERCHANT_SERIAL", Self.serialNumber),
            ("CURBSIDE_WECHAT_MERCHANT_KEY", try write("wechat-merchant-key.pem", wechatMerchantKey.pkcs8PEMRepresentation)),
            ("CURBSIDE_WECHAT_API_URL", wechat.baseURL),
            ("CURBSIDE_ALIPAY_PUBLIC_KEY", try write("alipay-public.pem", channels.alipayKey.publicKey.pemRepresentation)),
            ("CURBSIDE_ALIPAY_APP_ID", channels.alipayAppID),
            ("CURBSIDE_ALIPAY_APP_KEY", try write("alipay-app-key.pem", alipayAppKey.pkcs8PEMRepresentation)),
            ("CURBSIDE_ALIPAY_GATEWAY", alipay.gatewayURL),
            ("CURBSIDE_ALIPAY_PARKING_ID", AlipaySimulator.parkingID),
            ("CURBSIDE_ACQUIRER_SECRET", channels.acquirerSecret),
            ("CURBSIDE_ACQUIRER_URL", acquirer.baseURL),
            ("CURBSIDE_INVOICE_WECHAT", "on"),
            ("CURBSIDE_INVOICE_PLATFORM_URL", invoicing.baseURL),
            ("CURBSIDE_INVOICE_PLATFORM_SECRET", invoicing.secret),
        ]
    }

    /// Notifications go to `server` (`http://host:port`), whatever host the notify URLs name.
    public func deliver(to server: String) {
        wechat.notifyHost = server
        alipay.notifyHost = server
        acquirer.notifyHost = server
    }

    public func stop() async throws {
        try await wechat.stop()
        try await alipay.stop()
        try await acquirer.stop()
        try await invoicing.stop()
    }
}
