/// Refusals of appeals, enforcement cases and alert streams.
public enum EnforcementErrorCode: String, ErrorCode {
    public static let area = "Enforcement"

    case appealNotFound = "appeal_not_found"
    case appealOpen = "appeal_open"
    case appealDecided = "appeal_decided"
    case caseNotFound = "case_not_found"
    case alertNotFound = "alert_not_found"
    case tooManyStreams = "too_many_streams"
}
