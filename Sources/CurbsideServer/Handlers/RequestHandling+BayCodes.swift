import CurbsideCore
import CurbsideStore
import Foundation

extension RequestHandling {
    /// Reads a code as a person typed it. When it fails its check and exactly one
    /// registered bay is a single typo away, the error names that bay.
    func resolveBayCode(_ text: String, in registry: Registry) async throws -> BayCode {
        do {
            return try FullBayCode(parsing: text, city: configuration.city.code).code
        } catch {
            guard case .checkMismatch = error else { throw APIError(error) }
            let short = CodeText.compact(text).count > BayCode.lengths.upperBound ? String(CodeText.compact(text).dropFirst(6)) : text
            let registered = try await registry.registeredCodes(among: BayCode.neighbours(of: short))
            throw APIError(error, suggestion: registered.count == 1 ? registered.first : nil)
        }
    }
}
