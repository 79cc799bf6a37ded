import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

/// Legal holds: plates or sessions kept whole past their retention.
extension OperationsHandler {
    func listLegalHolds(_ input: Operations.ListLegalHolds.Input) async throws -> Operations.ListLegalHolds.Output {
        let holds = try await LegalHolds(store: store, database: try database).holds()
        return .ok(.init(body: .json(.init(items: holds.map(Components.Schemas.LegalHold.init)))))
    }

    func placeLegalHold(_ input: Operations.PlaceLegalHold.Input) async throws -> Operations.PlaceLegalHold.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let reason = try InputValidation.text(request.reason, field: "reason", maxLength: 200)
        let plate = try request.plate.map(InputValidation.plate)
        guard (plate == nil) != (request.sessionId == nil) else {
            throw APIError.invalid(PrivacyErrorCode.holdInvalid, "A hold names a plate (with its colour, or every colour) or one session, not both and not neither.")
        }
        let hold = try await LegalHolds(store: store, database: try database).hold(
            plate: plate, colour: request.colour?.domain, session: request.sessionId, reason: reason, by: try principal, now: now
        )
        return .created(.init(body: .json(.init(hold))))
    }

    func releaseLegalHold(_ input: Operations.ReleaseLegalHold.Input) async throws -> Operations.ReleaseLegalHold.Output {
        guard try await LegalHolds(store: store, database: try database).release(input.path.id, by: try principal, now: now) else {
            throw APIError.notFound(PrivacyErrorCode.holdNotFound, input.path.id)
        }
        return .noContent(.init())
    }
}

extension Components.Schemas.LegalHold {
    init(_ hold: CurbsideStore.LegalHold) {
        self.init(
            id: hold.id, plate: hold.plate, colour: hold.colour.flatMap { .init(rawValue: $0) }, sessionId: hold.session, reason: hold.reason,
            heldBy: hold.heldBy, createdAt: Date(milliseconds: hold.createdAt)
        )
    }
}
