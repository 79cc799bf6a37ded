/// Refusals of parking sessions' reads.
public enum SessionErrorCode: String, ErrorCode {
    public static let area = "Sessions"

    case sessionNotFound = "session_not_found"
}
