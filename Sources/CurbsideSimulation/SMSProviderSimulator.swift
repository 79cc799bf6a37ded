/// What the SMS provider simulators have in common, for tests and the demo
/// that run against either.
public protocol SMSProviderSimulator: AnyObject, Sendable {
    /// `aliyun` or `tencent`, as `CURBSIDE_NOTICES` names the provider.
    var provider: String { get }
    var endpoint: String { get }
    /// The AccessKey id and secret, or SecretId and SecretKey.
    var keyID: String { get }
    var secret: String { get }
    /// Every message taken, oldest first.
    var sent: [SentSMS] { get }
    var reportURL: String? { get set }
    var undeliverable: Set<String> { get set }
    /// Flow control refuses every message.
    var limits: Bool { get set }
    /// Every call answers 503.
    var unavailable: Bool { get set }
    @discardableResult
    func pushReports() async throws -> (status: UInt, body: String)?
    func stop() async throws
}

extension AliyunSMSSimulator: SMSProviderSimulator {
    public var provider: String { "aliyun" }
    public var keyID: String { accessKeyID }
    public var secret: String { accessKeySecret }
}

extension TencentSMSSimulator: SMSProviderSimulator {
    public var provider: String { "tencent" }
    public var keyID: String { secretID }
    public var secret: String { secretKey }
}
