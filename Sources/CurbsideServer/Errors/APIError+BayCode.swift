import CurbsideCore

extension APIError {
    /// A code that does not parse, answered 422 with its reason. When the
    /// registry knows exactly one code a single typo away, it is named.
    init(_ error: BayCodeError, suggestion: BayCode? = nil) {
        var message = error.description
        if let suggestion { message += " Did you mean \(suggestion)?" }
        self = APIError(.unprocessableEntity, error.code, message, didYouMean: suggestion?.rawValue)
    }
}
