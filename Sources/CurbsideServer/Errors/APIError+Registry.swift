import CurbsideCore
import CurbsideStore

extension APIError {
    init(_ error: RegistryError) {
        switch error {
        case let .notFound(entity, id):
            self = .notFound(entity.codes.notFound, id)
        case let .alreadyExists(entity, id):
            self = APIError(.conflict, entity.codes.exists, "\(entity.title) \(id) already exists.")
        case let .retired(entity, id):
            self = APIError(.conflict, entity.codes.retired, "\(entity.title) \(id) is retired and cannot be changed.")
        case let .revisionMismatch(expected, actual):
            self = APIError(.preconditionFailed, RegistryErrorCode.revisionMismatch, "The record is at revision \(actual), not \(expected): read it again and reapply your change.")
        case let .invalid(message):
            self = .invalid(RequestErrorCode.invalidRequest, message)
        case let .codesExhausted(segment):
            self = APIError(.conflict, RegistryErrorCode.codesExhausted, "Every bay number of segment \(segment) is taken; give the bay a code.")
        case let .rejected(rejection):
            if rejection.issues.count == 1 {
                self = APIError(.unprocessableEntity, issue: rejection.issues[0], "The change was refused: \(rejection.issues[0].message)")
            } else {
                self = .invalid(
                    RegistryErrorCode.registryRejected, "The change was refused for \(rejection.issues.count) reasons; see issues.", issues: rejection.issues
                )
            }
        }
    }
}

extension RegistryPlan.Entity {
    var codes: (notFound: RegistryErrorCode, exists: RegistryErrorCode, retired: RegistryErrorCode) {
        switch self {
        case .zone: (.zoneNotFound, .zoneExists, .zoneRetired)
        case .segment: (.segmentNotFound, .segmentExists, .segmentRetired)
        case .bay: (.bayNotFound, .bayExists, .bayRetired)
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
