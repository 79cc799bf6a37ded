import CurbsideStore

extension APIError {
    init(_ error: PatrolError) {
        switch error {
        case let .exists(record, id):
            self = record.exists(id)
        case let .notFound(record, id):
            self = record.notFound(id)
        case .noShift:
            self = APIError(.notFound, PatrolErrorCode.noOpenShift, "You have no open shift; start one on your beat first.")
        case let .shiftOpen(id):
            self = APIError(.conflict, PatrolErrorCode.shiftOpen, "Shift \(id) is still open; close it first.")
        case let .offBeat(bay):
            self = APIError(.forbidden, PatrolErrorCode.offBeat, "Bay \(bay) is not on the beat of your shift.")
        case let .photoMissing(digest):
            self = .invalid(PatrolErrorCode.photoNotUploaded, "Photo \(digest) has not been uploaded; upload it first (PUT /v1/gateway/images/{sha256}).")
        case let .outsideShift(shift):
            self = .invalid(PatrolErrorCode.outsideShift, "The action's time lies outside shift \(shift) (or ahead of the server's clock).")
        case let .invalid(message):
            self = .invalid(RequestErrorCode.invalidRequest, message)
        case let .beatNotAssigned(beat):
            self = APIError(.forbidden, PatrolErrorCode.beatNotAssigned, "You are not assigned to beat \(beat); a supervisor assigns officers to beats.")
        case let .notAnOfficer(id):
            self = .invalid(PatrolErrorCode.notAnOfficer, "Staff \(id) is not a patrol officer; only officers are assigned to beats.")
        case .ownAccount:
            self = .invalid(AccessErrorCode.ownAccount, "You cannot close your own account or give up the admin role; another administrator can.")
        case let .notStaff(role):
            self = .invalid(AccessErrorCode.notAStaffRole, "\(role.rawValue) is not a staff role (admin, operator, patrol, finance, auditor).")
        }
    }
}

extension PatrolError.Record {
    var title: String {
        switch self {
        case .staff: "Staff"
        case .beat: "Beat"
        case .segment: "Road segment"
        case .case: "Case"
        }
    }

    /// Staff accounts and beats are created under a chosen id; segments and cases never are.
    func exists(_ id: String) -> APIError {
        let message = "\(title) \(id) exists already."
        return switch self {
        case .staff: APIError(.conflict, AccessErrorCode.staffExists, message)
        case .beat: APIError(.conflict, PatrolErrorCode.beatExists, message)
        case .segment, .case: APIError(.conflict, RequestErrorCode.conflict, message)
        }
    }

    func notFound(_ id: String) -> APIError {
        switch self {
        case .staff: .notFound(AccessErrorCode.staffNotFound, id)
        case .beat: .notFound(PatrolErrorCode.beatNotFound, id)
        case .segment: .notFound(RegistryErrorCode.segmentNotFound, id)
        case .case: .notFound(EnforcementErrorCode.caseNotFound, id)
        }
    }
}
