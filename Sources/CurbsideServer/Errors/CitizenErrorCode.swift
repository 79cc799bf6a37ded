/// Refusals of citizens' sign-in, accounts and plates.
public enum CitizenErrorCode: String, ErrorCode {
    public static let area = "Citizens"

    case invalidPhone = "invalid_phone"
    case codeTooSoon = "code_too_soon"
    case tooManyCodes = "too_many_codes"
    case codesPaused = "codes_paused"
    case codeInvalid = "code_invalid"
    case proofMismatch = "proof_mismatch"
    case tooManyPlates = "too_many_plates"
    case boundPlateNotFound = "bound_plate_not_found"
    case notYourBill = "not_your_bill"
    case phoneUnreachable = "phone_unreachable"
    case smsUnavailable = "sms_unavailable"
    case autoPayTaken = "auto_pay_taken"
    case wechatNotLinked = "wechat_not_linked"
    case parkingServiceNotOpen = "parking_service_not_open"
    case wechatCodeInvalid = "wechat_code_invalid"
}
