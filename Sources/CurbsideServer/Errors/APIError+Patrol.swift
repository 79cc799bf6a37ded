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
        case let .invalid(message):
            self = .invalid("invalid_request", message)
        }
    }
}
