import CurbsideCore
import Foundation

/// What checking each channel's notifications needs. PEM texts, read from the
/// files the environment names.
public struct ChannelSettings: Sendable {
    public var wechatPlatformKeyPEM: String?
    public var wechatAPIv3Key: String?
    public var alipayPublicKeyPEM: String?
    public var alipayAppID: String?
    /// Shared with the acquirer for UnionPay, bank-card and ETC notifications.
    public var acquirerSecret: String?
    /// Where the acquirer's API answers; with the secret, orders for UnionPay, bank cards and ETC are placed there.
    public var acquirerURL: String?
    /// Placing orders with WeChat Pay: our merchant, its application, its API key and where WeChat Pay answers.
    public var wechatMerchant: WeChatMerchantSettings?
    /// Our WeChat application's secret and WeChat's open API, for a citizen's login code to name their openid.
    public var wechatAppSecret: String?
    public var wechatOpenAPIURL = "https://api.weixin.qq.com"
    /// Placing trades with Alipay: our application's private key (PEM) and the gateway.
    public var alipayAppKeyPEM: String?
    public var alipayGatewayURL = "https://openapi.alipay.com/gateway.do"
    /// Our lot at Alipay's parking platform (alipay.eco.mycar.parking.parkinglotinfo.create gives it), for Alipay's parking deduction.
    public var alipayParkingID: String?
    /// How long a call to a channel may take, connecting included, before it is given up as unanswered.
    public var timeout: Int64 = 10 * Milliseconds.second
    /// The local hour from which yesterday's statements are fetched: WeChat Pay has made them by 10:00.
    public var statementHour = 10

    public init(
        wechatPlatformKeyPEM: String? = nil, wechatAPIv3Key: String? = nil, alipayPublicKeyPEM: String? = nil, alipayAppID: String? = nil,
        acquirerSecret: String? = nil
    ) {
        self.wechatPlatformKeyPEM = wechatPlatformKeyPEM
        self.wechatAPIv3Key = wechatAPIv3Key
        self.alipayPublicKeyPEM = alipayPublicKeyPEM
        self.alipayAppID = alipayAppID
        self.acquirerSecret = acquirerSecret
    }

    /// `CURBSIDE_WECHAT_PLATFORM_KEY` and `CURBSIDE_ALIPAY_PUBLIC_KEY` (PEM files), `CURBSIDE_WECHAT_APIV3_KEY`,
    /// `CURBSIDE_ALIPAY_APP_ID`, `CURBSIDE_ACQUIRER_SECRET`, `CURBSIDE_ACQUIRER_URL`; for placing orders `CURBSIDE_WECHAT_MCH_ID`,
    /// `CURBSIDE_WECHAT_APP_ID`, `CURBSIDE_WECHAT_MERCHANT_SERIAL`, `CURBSIDE_WECHAT_MERCHANT_KEY` (PEM file),
    /// `CURBSIDE_WECHAT_API_URL`, `CURBSIDE_ALIPAY_APP_KEY` (PEM file), `CURBSIDE_ALIPAY_GATEWAY`,
    /// `CURBSIDE_CHANNEL_TIMEOUT_SECONDS`, `CURBSIDE_STATEMENT_HOUR`; `CURBSIDE_WECHAT_APP_SECRET`, `CURBSIDE_WECHAT_OPEN_API_URL`;
    /// `CURBSIDE_ALIPAY_PARKING_ID`.
    init(reading curbside: SettingsReader) throws {
        let wechat = curbside.scoped(to: "wechat")
        let alipay = curbside.scoped(to: "alipay")
        wechatPlatformKeyPEM = try wechat.fileContents("platformKey")
        // "apiv3Key" would read APIV3KEY: a digit does not end a camel-case word.
        let apiv3 = wechat.scoped(to: "apiv3")
        wechatAPIv3Key = apiv3.text("key", isSecret: true)
        if let key = wechatAPIv3Key, key.utf8.count != 32 {
            throw ConfigurationError(variable: apiv3.variable("key"), reason: "the API v3 key is 32 characters")
        }
        alipayPublicKeyPEM = try alipay.fileContents("publicKey")
        alipayAppID = alipay.text("appID")
        acquirerSecret = curbside.text("acquirerSecret", isSecret: true)
        acquirerURL = try curbside.value("acquirerURL", as: WebAddress.self)?.text
        wechatMerchant = try WeChatMerchantSettings(reading: wechat)
        wechatAppSecret = wechat.text("appSecret", isSecret: true)
        wechatOpenAPIURL = try wechat.scoped(to: "open").value("apiURL", as: WebAddress.self)?.text ?? wechatOpenAPIURL
        alipayAppKeyPEM = try alipay.fileContents("appKey")
        alipayGatewayURL = try alipay.value("gateway", as: WebAddress.self)?.text ?? alipayGatewayURL
        alipayParkingID = alipay.text("parkingID")
        timeout = try curbside.scoped(to: "channel").seconds("timeoutSeconds", defaultMilliseconds: timeout, max: 120)
        statementHour = try curbside.whole("statementHour", default: statementHour, in: 0...23)
    }
}

/// Our merchant at WeChat Pay, for placing orders.
public struct WeChatMerchantSettings: Sendable {
    public var merchantID: String
    public var appID: String
    /// The serial number of the merchant API certificate.
    public var serialNumber: String
    /// The merchant API private key, PEM.
    public var privateKeyPEM: String
    public var apiURL: String

    public init(merchantID: String, appID: String, serialNumber: String, privateKeyPEM: String, apiURL: String = "https://api.mch.weixin.qq.com") {
        self.merchantID = merchantID
        self.appID = appID
        self.serialNumber = serialNumber
        self.privateKeyPEM = privateKeyPEM
        self.apiURL = apiURL
    }

    /// nil when no merchant id is set; with one, the rest are needed.
    init?(reading wechat: SettingsReader) throws {
        guard let merchantID = wechat.text("mchID") else { return nil }
        func needed(_ key: String) throws -> String {
            guard let value = wechat.text(key) else {
                throw ConfigurationError(variable: wechat.variable(key), reason: "needed with \(wechat.variable("mchID")) to place orders")
            }
            return value
        }
        let appID = try needed("appID")
        let serial = try needed("merchantSerial")
        guard let key = try wechat.fileContents("merchantKey") else {
            throw ConfigurationError(variable: wechat.variable("merchantKey"), reason: "needed with \(wechat.variable("mchID")) to place orders")
        }
        self.init(
            merchantID: merchantID, appID: appID, serialNumber: serial, privateKeyPEM: key,
            apiURL: try wechat.value("apiURL", as: WebAddress.self)?.text ?? "https://api.mch.weixin.qq.com"
        )
    }
}

/// An http(s) address with a host.
struct WebAddress: SettingValue {
    static let expectation = "an http(s) URL"
    var text: String

    init?(setting: String) {
        guard setting.hasPrefix("https://") || setting.hasPrefix("http://"), URL(string: setting)?.host != nil else { return nil }
        text = setting.hasSuffix("/") ? String(setting.dropLast()) : setting
    }
}
