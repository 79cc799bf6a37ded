import CurbsideCore
import CurbsideStore

extension APIError {
    init(_ error: RegistryError) {
        switch error {
        case let .notFound(entity, id):
            self = .notFound(entity.noun, id)
        case let .alreadyExists(entity, id):
            self = APIError(.conflict, "\(entity.noun)_exists", "\(entity.title) \(id) already exists.")
        case let .retired(entity, id):
            self = APIError(.conflict, "\(entity.noun)_retired", "\(entity.title) \(id) is retired and cannot be changed.")
        case let .revisionMismatch(expected, actual):
            self = APIError(.preconditionFailed, "revision_mismatch", "The record is at revision \(actual), not \(expected): read it again and reapply your change.")
        case let .invalid(message):
            self = .invalid("invalid_request", message)
        case let .codesExhausted(segment):
            self = APIError(.conflict, "codes_exhausted", "Every bay number of segment \(segment) is taken; give the bay a code.")
        case let .rejected(rejection):
            let count = rejection.issues.count
            let first = rejection.issues.first.map { ": \($0.message)" } ?? ""
            self = .invalid(
                rejection.issues.count == 1 ? rejection.issues[0].code : "registry_rejected",
                count == 1 ? "The change was refused\(first)" : "The change was refused for \(count) reasons; see issues.",
                issues: rejection.issues
            )
        }
    }
}

extension RegistryPlan.Entity {
    var noun: String {
        switch self {
        case .zone: "zone"
        case .segment: "segment"
        case .bay: "bay"
        }
    }

    var title: String {
        switch self {
        case .zone: "Zone"
        case .segment: "Road segment"
        case .bay: "Bay"
        }
    }
}
