/// When bills are issued and where their links point.
public struct BillingSettings: Sendable {
    /// A closed session is billed once it has been closed and unchanged this long (ms).
    public var settleDelay: Int64
    /// Days from issue to the due date.
    public var dueDays: Int
    /// The public base of payment links, without a trailing slash.
    public var publicURL: String

    public init(settleDelay: Int64 = 600_000, dueDays: Int = 30, publicURL: String = "http://127.0.0.1:8080") {
        self.settleDelay = settleDelay
        self.dueDays = dueDays
        self.publicURL = publicURL
    }

    /// `CURBSIDE_BILL_DELAY_SECONDS`, `CURBSIDE_BILL_DUE_DAYS`, `CURBSIDE_PUBLIC_URL`.
    init(reading curbside: SettingsReader) throws {
        self.init()
        let bill = curbside.scoped(to: "bill")
        settleDelay = try bill.seconds("delaySeconds", defaultMilliseconds: settleDelay)
        dueDays = try bill.whole("dueDays", default: dueDays, in: 1...256)
        if let url = curbside.text("publicURL") {
            publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
    }

    /// The short payment link of a bill's token.
    @Sendable public func payLink(_ token: String) -> String { "\(publicURL)/p/\(token)" }
}
