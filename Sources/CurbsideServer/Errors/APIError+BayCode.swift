import CurbsideCore

extension APIError {
    /// A code that does not parse, answered 422 with its reason. When the
    /// registry knows exactly one code a single typo away, it is named.
    init(_ error: BayCodeError, suggestion: BayCode? = nil) {
        var message = error.description
        if let suggestion { message += " Did you mean \(suggestion)?" }
        self = APIError(.unprocessableEntity, RegistryErrorCode(error), message, didYouMean: suggestion?.rawValue)
    }
}

extension RegistryErrorCode {
    /// Core names these codes for import issues too; a test keeps the two spellings equal.
    init(_ error: BayCodeError) {
        switch error {
        case .empty: self = .bayCodeEmpty
        case .invalidCharacter: self = .bayCodeInvalidCharacter
        case .wrongLength: self = .bayCodeWrongLength
        case .checkMismatch: self = .bayCodeCheckFailed
        case .foreignDivision: self = .bayCodeOtherCity
        }
    }
}
