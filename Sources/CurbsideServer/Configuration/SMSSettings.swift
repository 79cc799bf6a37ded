/// The SMS provider's account: the AccessKey (Alibaba Cloud) or SecretId and
/// SecretKey (Tencent Cloud), the registered signature, Tencent's SMS
/// application and region, and where the API answers.
public struct SMSSettings: Sendable, Equatable {
    /// The registered signature (签名); texts written to the log and to files start with it too.
    public var signName = "路侧停车"
    public var keyID: String?
    public var secret: String?
    /// Tencent Cloud's SmsSdkAppId.
    public var appID: String?
    /// Tencent Cloud's region.
    public var region = "ap-guangzhou"
    /// nil for the provider's own endpoint.
    public var url: String?

    public init() {}

    /// `CURBSIDE_SMS_SIGN_NAME`, `CURBSIDE_SMS_KEY_ID`, `CURBSIDE_SMS_SECRET`, `CURBSIDE_SMS_APP_ID`, `CURBSIDE_SMS_REGION`,
    /// `CURBSIDE_SMS_URL`; the key and secret are needed when `delivery` is a provider, and for Tencent the application.
    init(reading curbside: SettingsReader, delivery: NoticeDelivery) throws {
        let sms = curbside.scoped(to: "sms")
        signName = sms.text("signName") ?? signName
        keyID = sms.text("keyID")
        secret = sms.text("secret", isSecret: true)
        appID = sms.text("appID")
        region = sms.text("region") ?? region
        url = try sms.value("url", as: WebAddress.self)?.text
        guard delivery.isSMS else { return }
        for (key, value) in [("keyID", keyID), ("secret", secret)] + (delivery == .tencent ? [("appID", appID)] : []) where value == nil {
            throw ConfigurationError(variable: sms.variable(key), reason: "needed to send notices by SMS (CURBSIDE_NOTICES=\(delivery == .aliyun ? "aliyun" : "tencent"))")
        }
    }
}
