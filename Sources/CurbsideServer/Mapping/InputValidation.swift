import CurbsideCore

/// Checks the generated code does not make: the contract's lengths, patterns
/// and identifier rules. Every failure names the field.
enum InputValidation {
    static func text(_ value: String, field: String, maxLength: Int = 100) throws(APIError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalid(RequestErrorCode.invalidField, "\(field) must not be empty.") }
        guard trimmed.count <= maxLength else { throw .invalid(RequestErrorCode.invalidField, "\(field) is longer than \(maxLength) characters.") }
        return trimmed
    }

    static func optionalText(_ value: String?, field: String, maxLength: Int = 100) throws(APIError) -> String? {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return try text(value, field: field, maxLength: maxLength)
    }

    static func identifier(_ value: String, field: String) throws(APIError) -> String {
        guard RegistryID.isValid(value) else {
            throw .invalid(RequestErrorCode.invalidField, "\(field) '\(value)' must be 1-\(RegistryID.maxLength) letters, digits, '-', '_', '.' or ':', starting with a letter or digit.")
        }
        return value
    }

    static func optionalIdentifier(_ value: String?, field: String) throws(APIError) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return try identifier(value, field: field)
    }

    /// The id in the body, if any, must be the one in the path.
    static func matching(_ bodyID: String?, path: String, field: String) throws(APIError) {
        if let bodyID, bodyID != path {
            throw .invalid(RequestErrorCode.idMismatch, "\(field) '\(bodyID)' differs from '\(path)' in the path; ids cannot be changed.")
        }
    }

    /// A bay code as people and devices write it: short, or the full national code of this city.
    static func bayCode(_ text: String, city: DivisionCode) throws(APIError) -> BayCode {
        do {
            return try FullBayCode(parsing: text, city: city).code
        } catch {
            throw APIError(error)
        }
    }

    /// A plate as Curbside writes it (upper case, no separators), or a 400 saying what is wrong.
    static func plate(_ text: String) throws(APIError) -> String {
        do {
            return try Plate(parsing: text).text
        } catch {
            throw .badRequest(PlateErrorCode(error), error.description)
        }
    }

    /// A mainland mobile number: 11 digits starting with 1.
    static func phone(_ text: String) throws(APIError) -> String {
        let digits = text.filter { $0 != " " && $0 != "-" }
        guard digits.count == 11, digits.first == "1", digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
            throw .invalid(CitizenErrorCode.invalidPhone, "'\(text)' is not a mainland mobile number (11 digits starting with 1).")
        }
        return digits
    }
}
