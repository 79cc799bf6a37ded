/// Refusals of tokens, signatures, sign-in and staff accounts.
public enum AccessErrorCode: String, ErrorCode {
    public static let area = "Access"

    case unauthenticated
    case forbidden
    case tokenInvalid = "token_invalid"
    case tokenExpired = "token_expired"
    case tokenStale = "token_stale"
    case tokenLifetime = "token_lifetime"
    case accountUnknown = "account_unknown"
    case accountClosed = "account_closed"
    case signatureInvalid = "signature_invalid"
    case signatureExpired = "signature_expired"
    case signatureNotAccepted = "signature_not_accepted"
    case signInRefused = "sign_in_refused"
    case signInLocked = "sign_in_locked"
    case passwordTooShort = "password_too_short"
    case staffNotFound = "staff_not_found"
    case staffExists = "staff_exists"
    case notAStaffRole = "not_a_staff_role"
    case ownAccount = "own_account"
}
