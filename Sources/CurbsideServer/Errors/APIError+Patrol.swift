import CurbsideStore

extension APIError {
    init(_ error: PatrolError) {
        switch error {
        case let .exists(what, id):
            self = APIError(.conflict, "\(what)_exists", "\(what.capitalized) \(id) exists already.")
        case let .notFound(what, id):
            self = .notFound(what, id)
        case .noShift:
            self = APIError(.notFound, "no_open_shift", "You have no open shift; start one on your beat first.")
        case let .shiftOpen(id):
            self = APIError(.conflict, "shift_open", "Shift \(id) is still open; close it first.")
        case let .offBeat(bay):
            self = APIError(.forbidden, "off_beat", "Bay \(bay) is not on the beat of your shift.")
        case let .photoMissing(digest):
            self = .invalid("photo_not_uploaded", "Photo \(digest) has not been uploaded; upload it first (PUT /v1/gateway/images/{sha256}).")
        case let .outsideShift(shift):
            self = .invalid("outside_shift", "The action's time lies outside shift \(shift) (or ahead of the server's clock).")
        case let .invalid(message):
            self = .invalid("invalid_request", message)
        case let .beatNotAssigned(beat):
            self = APIError(.forbidden, "beat_not_assigned", "You are not assigned to beat \(beat); a supervisor assigns officers to beats.")
        case let .notAnOfficer(id):
            self = .invalid("not_an_officer", "Staff \(id) is not a patrol officer; only officers are assigned to beats.")
        case .ownAccount:
            self = .invalid("own_account", "You cannot close your own account or give up the admin role; another administrator can.")
        case let .notStaff(role):
            self = .invalid("not_a_staff_role", "\(role.rawValue) is not a staff role (admin, operator, patrol, finance, auditor).")
        }
    }
}
