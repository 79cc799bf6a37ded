/// Refusals of the concessionaire's reports.
public enum ReportErrorCode: String, ErrorCode {
    public static let area = "Reports"

    case noConcessionContract = "no_concession_contract"
    case invalidMonth = "invalid_month"
    case invalidPeriod = "invalid_period"
    case invalidDate = "invalid_date"
    case invalidFrom = "invalid_from"
    case invalidTo = "invalid_to"
}
