/// What an invoice says, as a provider is asked to issue it.
public struct InvoiceDraft: Sendable, Equatable {
    /// One line per bill: the parking service of that stay, tax included.
    public struct Line: Sendable, Equatable {
        public var bill: String
        public var amountFen: Int

        public init(bill: String, amountFen: Int) {
            self.bill = bill
            self.amountFen = amountFen
        }
    }

    /// Our id for the invoice (WeChat's fapiao_id).
    public var id: String
    /// What the provider files it under: the WeChat Pay transaction for WeChat, the invoice id for a platform.
    public var application: String
    public var title: InvoiceTitle
    public var lines: [Line]
    /// The tax classification code of the service (税收分类编码, 19 digits).
    public var taxCode: String
    /// Hundredths of a percent.
    public var taxRate: Int
    /// Printed on the invoice: the bills it covers.
    public var remark: String

    public init(id: String, application: String, title: InvoiceTitle, lines: [Line], taxCode: String, taxRate: Int, remark: String) {
        self.id = id
        self.application = application
        self.title = title
        self.lines = lines
        self.taxCode = taxCode
        self.taxRate = taxRate
        self.remark = remark
    }

    public var totalFen: Int { lines.reduce(0) { $0 + $1.amountFen } }
    /// What each line's service is called on the invoice.
    public static let serviceName = "*不动产经营租赁服务*车辆停放服务"
}
