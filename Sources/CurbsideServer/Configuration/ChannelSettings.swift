/// What checking each channel's notifications needs. PEM texts, read from the
/// files the environment names.
public struct ChannelSettings: Sendable {
    public var wechatPlatformKeyPEM: String?
    public var wechatAPIv3Key: String?
    public var alipayPublicKeyPEM: String?
    public var alipayAppID: String?
    /// Shared with the acquirer for UnionPay, bank-card and ETC notifications.
    public var acquirerSecret: String?

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
    /// `CURBSIDE_ALIPAY_APP_ID`, `CURBSIDE_ACQUIRER_SECRET`.
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
    }
}
