/// Refusals of retention's legal holds.
public enum PrivacyErrorCode: String, ErrorCode {
    public static let area = "Privacy"

    case holdInvalid = "hold_invalid"
    case holdNotFound = "hold_not_found"
}
