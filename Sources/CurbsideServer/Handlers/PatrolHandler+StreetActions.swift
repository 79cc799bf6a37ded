import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

extension PatrolHandler {
    /// Carries out a batch of street actions in order, answering each on its own:
    /// one refused action does not stop the others.
    func uploadStreetActions(_ input: Operations.UploadStreetActions.Input) async throws -> Operations.UploadStreetActions.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let shift = try await myShift()
        let officer = try principal
        let actions = StreetActions(
            store: store, database: try database, rules: configuration.ingest.fusion, link: configuration.billing.payLink
        )
        var results: [Components.Schemas.StreetActionResult] = []
        var folded = false
        for item in request.actions {
            do {
                let action = try Self.streetAction(item, city: configuration.city.code)
                let (result, replayed) = try await actions.perform(action, by: officer, shift: shift, now: now)
                folded = folded || (action.kind.isEvent && !replayed)
                results.append(.init(result, replayed: replayed))
            } catch {
                let refusal = ErrorMiddleware.apiError(for: error)
                // Only the client's faults are answered per action; anything else fails the batch, which is safe to send again.
                guard refusal.status.code < 500 else { throw error }
                results.append(.init(id: item.id, kind: item.kind.rawValue, status: .refused, code: refusal.code, message: refusal.message, replayed: false))
            }
        }
        if folded { await jobs.doorbell.ring() }
        return .ok(.init(body: .json(.init(results: results))))
    }

    static func streetAction(_ item: Components.Schemas.StreetAction, city: DivisionCode) throws -> StreetAction {
        let kind = StreetAction.Kind(rawValue: item.kind.rawValue)!
        let plate = try item.plate.map { try Plate(parsing: InputValidation.plate($0)) }
        return StreetAction(
            clientID: item.id, kind: kind, at: item.at.milliseconds, bay: try item.bay.map { text throws(APIError) in try InputValidation.bayCode(text, city: city) },
            plate: plate, colour: item.plateColour.map(\.domain), photos: item.photos ?? [], cash: (item.cash ?? []).map { .init(bill: $0.bill, fen: $0.fen) }
        )
    }
}

extension Components.Schemas.StreetActionResult {
    init(_ result: StreetActionResult, replayed: Bool) {
        self.init(
            id: result.clientID, kind: result.kind.rawValue, status: .init(rawValue: result.outcome.status.rawValue)!, code: result.outcome.code,
            message: result.outcome.message, replayed: replayed, sessionId: result.outcome.sessionID, paymentId: result.paymentID,
            refundedFen: result.refundedFen, noticeText: result.noticeText, links: result.links
        )
    }
}
