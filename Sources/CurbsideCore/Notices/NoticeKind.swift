/// What a message to a citizen is about. Each kind has its text (a template
/// file per language) and the parameters that fill it.
public enum NoticeKind: String, Sendable, CaseIterable, Codable {
    case billIssued = "bill_issued"
    case reminder
    case makeUp = "make_up"
    case finalNotice = "final_notice"
    case referral
    case refund
    case autoDebitDone = "auto_debit_done"
    case autoDebitFailed = "auto_debit_failed"
    case signInCode = "sign_in_code"
    case invoiceIssued = "invoice_issued"

    /// The parameters a text of this kind may use.
    public var parameters: Set<String> {
        switch self {
        case .billIssued: ["plate", "start", "end", "zone", "bay", "amount", "bill", "due", "link"]
        case .reminder: ["plate", "date", "amount", "bill", "due", "link"]
        case .makeUp, .finalNotice: ["plate", "date", "amount", "bill", "until", "link"]
        case .referral: ["plate", "date", "amount", "bill", "link"]
        case .refund: ["plate", "bill", "amount", "channel"]
        case .autoDebitDone: ["plate", "date", "amount", "bill", "channel", "link"]
        case .autoDebitFailed: ["plate", "date", "amount", "bill", "reason", "due", "link"]
        case .signInCode: ["code"]
        case .invoiceIssued: ["number", "amount", "title", "link"]
        }
    }

    /// Parameters that only the recipient may see: left out of logs.
    public static let secretParameters: Set<String> = ["code", "link"]
}
