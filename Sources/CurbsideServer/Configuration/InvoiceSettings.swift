import CurbsideCore

/// E-invoicing: which providers issue invoices, and what each line of one
/// says to the tax bureau.
public struct InvoiceSettings: Sendable, Equatable {
    /// Money paid by WeChat Pay is invoiced through WeChat Pay's e-invoice API (the merchant's keys are WeChat Pay's).
    public var wechat = false
    /// An invoicing platform by docs/invoicing-platform.md, for any money.
    public var platformURL: String?
    public var platformSecret: String?
    /// 税收分类编码 of the service: 3040502020200000000 is 车辆停放服务 (parking, under real-estate leasing services).
    public var taxCode = "3040502020200000000"
    /// Hundredths of a percent: 9 % is VAT's rate for real-estate leasing services, parking among them.
    public var taxRate = 900

    public init() {}

    /// `CURBSIDE_INVOICE_WECHAT` (on/off), `CURBSIDE_INVOICE_PLATFORM_URL`, `CURBSIDE_INVOICE_PLATFORM_SECRET` (at least
    /// 32 bytes), `CURBSIDE_INVOICE_TAX_CODE` (19 digits), `CURBSIDE_INVOICE_TAX_RATE` (a percent, "9", "6", "1.5").
    init(reading curbside: SettingsReader) throws {
        let invoice = curbside.scoped(to: "invoice")
        wechat = try invoice.flag("wechat", default: wechat)
        let platform = invoice.scoped(to: "platform")
        platformURL = try platform.value("url", as: WebAddress.self)?.text
        platformSecret = platform.text("secret", isSecret: true)
        if let secret = platformSecret, secret.utf8.count < 32 {
            throw ConfigurationError(variable: platform.variable("secret"), reason: "the shared secret is at least 32 bytes")
        }
        if platformURL != nil, platformSecret == nil {
            throw ConfigurationError(variable: platform.variable("secret"), reason: "needed with \(platform.variable("url"))")
        }
        if let code = invoice.text("taxCode") {
            guard code.count == 19, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw invoice.refusal("taxCode", "expected a tax classification code of 19 digits", text: code)
            }
            taxCode = code
        }
        if let text = invoice.text("taxRate") {
            guard let rate = InvoiceTax.rate(percent: text) else {
                throw invoice.refusal("taxRate", "expected a percent from 0 to 100 with at most two decimals", text: text)
            }
            taxRate = rate
        }
    }
}
